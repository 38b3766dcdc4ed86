/*
 * utf8.h: the one UTF-8 implementation of vigil, shared by every module.
 *
 * "Valid" is RFC 3629 / Unicode's well-formed UTF-8: no overlong forms
 * (C0 80 for U+0000), no surrogates (ED A0 80 for U+D800), nothing over
 * U+10FFFF (F4 90 80 80 and the lead bytes F5-FF), no lone continuation
 * bytes. Every decoder in the code base uses these functions, so a byte
 * string that one module accepts as text is text to all of them.
 *
 * The functions that take (p, available) read at most `available` bytes
 * and read a byte only after the bytes before it matched, so a sequence
 * cut by a NUL is refused without reading past the NUL: for NUL-terminated
 * text, available may be SIZE_MAX.
 */
#ifndef VIGIL_UTF8_H
#define VIGIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the valid sequence that starts at p, or 0 when the
 * bytes there are not one (invalid, or cut short by available). */
size_t vigil_utf8_sequence_length(const unsigned char *p, size_t available);

/* Like vigil_utf8_sequence_length, and stores the code point in
 * *codepoint; when the sequence is invalid it returns 0 and stores
 * U+FFFD, the replacement character. */
size_t vigil_utf8_decode(const unsigned char *p, size_t available, uint32_t *codepoint);

/* Writes codepoint as UTF-8 to out (not NUL-terminated) and returns the
 * number of bytes, 1..4. A surrogate or a value over U+10FFFF is written
 * as U+FFFD, so the output is always valid. */
size_t vigil_utf8_encode(uint32_t codepoint, char out[4]);

/* 1 when p[0..available) is a proper prefix of a valid sequence, that is
 * a sequence the end of the input cut short (a body truncated at a size
 * cap); 0 otherwise, also when available is 0. */
int vigil_utf8_is_truncated(const unsigned char *p, size_t available);

/* Number of characters of a NUL-terminated string: the bytes that are not
 * continuation bytes (10xxxxxx). For valid UTF-8 that is the number of code
 * points. NULL counts 0. */
size_t vigil_utf8_count_chars(const char *text);
/* The same over text[0..len). */
size_t vigil_utf8_count_chars_n(const char *text, size_t len);

/* 1 when data[0..len) is valid UTF-8 throughout (NUL bytes included, U+0000
 * is valid), 0 otherwise. */
int vigil_utf8_valid(const char *data, size_t len);

/* Unicode Normalization Form C of valid UTF-8 text (libutf8proc), so
 * that a word typed with combining marks ("и" + U+0306) equals the same
 * word typed with precomposed letters ("й"). *out is malloc'd and
 * NUL-terminated. Returns 0, or -1 when out of memory or when text is not
 * valid UTF-8 (then *out is NULL). */
int vigil_utf8_nfc(const char *text, char **out);

#endif
