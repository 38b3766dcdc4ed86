// readability_run.js FILE...: Readability.js (Mozilla) over saved pages, one
// JSON line per file ({"file", "text"}), for bench/compare.sh. jsdom reads
// the raw bytes, so it sniffs the charset as a browser would.
'use strict';
const fs = require('fs');
const { JSDOM, VirtualConsole } = require('jsdom');
const { Readability } = require('@mozilla/readability');

const quiet = new VirtualConsole();
for (const file of process.argv.slice(2)) {
  let text = '';
  try {
    const dom = new JSDOM(fs.readFileSync(file), { url: 'https://example.org/', virtualConsole: quiet });
    const article = new Readability(dom.window.document).parse();
    text = article && article.textContent ? article.textContent.trim() : '';
    dom.window.close();
  } catch (e) {
    text = '';
  }
  process.stdout.write(JSON.stringify({ file, text }) + '\n');
}
