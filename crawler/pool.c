/*
 * pool.c: the analysis workers of a crawl pass (crawl_pool_*, see
 * crawler_int.h). Items are analysed in any order on any worker; the
 * pass applies them in the order it received them, so what reaches the
 * index does not depend on the number of workers or their timing.
 */
#include "crawler_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct crawl_pool {
	pthread_mutex_t lock;
	pthread_cond_t work_ready; /* an item was queued, or the pool stops */
	pthread_cond_t work_done;  /* an item was analysed */
	struct crawl_work *queue_head, *queue_tail;
	int stopping;
	void (*analyse)(struct crawl_work *work);
	pthread_t *threads;
	int thread_count;
};

static void *worker_main(void *arg)
{
	struct crawl_pool *pool = arg;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		struct crawl_work *w;

		while (!pool->queue_head && !pool->stopping)
			pthread_cond_wait(&pool->work_ready, &pool->lock);
		if (!pool->queue_head)
			break;
		w = pool->queue_head;
		pool->queue_head = w->next_queued;
		if (!pool->queue_head)
			pool->queue_tail = NULL;
		pthread_mutex_unlock(&pool->lock);
		pool->analyse(w);
		pthread_mutex_lock(&pool->lock);
		w->done = 1;
		pthread_cond_broadcast(&pool->work_done);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

enum vigil_code crawl_pool_start(int workers, void (*analyse)(struct crawl_work *work),
				 struct crawl_pool **out, struct vigil_error *err)
{
	struct crawl_pool *pool = calloc(1, sizeof(*pool));

	*out = NULL;
	if (!pool || !(pool->threads = calloc((size_t)workers, sizeof(*pool->threads)))) {
		free(pool);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->work_ready, NULL);
	pthread_cond_init(&pool->work_done, NULL);
	pool->analyse = analyse;
	for (int i = 0; i < workers; i++) {
		if (pthread_create(&pool->threads[i], NULL, worker_main, pool) != 0) {
			crawl_pool_stop(&pool);
			return vigil_error_set(err, VIGIL_ERR_IO,
					       "crawl: cannot start analysis worker %d of %d", i + 1,
					       workers);
		}
		pool->thread_count++;
	}
	*out = pool;
	return VIGIL_OK;
}

void crawl_pool_submit(struct crawl_pool *pool, struct crawl_work *work)
{
	work->done = 0;
	work->next_queued = NULL;
	pthread_mutex_lock(&pool->lock);
	if (pool->queue_tail)
		pool->queue_tail->next_queued = work;
	else
		pool->queue_head = work;
	pool->queue_tail = work;
	pthread_cond_signal(&pool->work_ready);
	pthread_mutex_unlock(&pool->lock);
}

int crawl_pool_done(struct crawl_pool *pool, struct crawl_work *work, int wait)
{
	int done;

	pthread_mutex_lock(&pool->lock);
	while (wait && !work->done)
		pthread_cond_wait(&pool->work_done, &pool->lock);
	done = work->done;
	pthread_mutex_unlock(&pool->lock);
	return done;
}

void crawl_pool_stop(struct crawl_pool **pool_ptr)
{
	struct crawl_pool *pool = *pool_ptr;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stopping = 1;
	pthread_cond_broadcast(&pool->work_ready);
	pthread_mutex_unlock(&pool->lock);
	for (int i = 0; i < pool->thread_count; i++)
		pthread_join(pool->threads[i], NULL);
	pthread_cond_destroy(&pool->work_done);
	pthread_cond_destroy(&pool->work_ready);
	pthread_mutex_destroy(&pool->lock);
	free(pool->threads);
	free(pool);
	*pool_ptr = NULL;
}
