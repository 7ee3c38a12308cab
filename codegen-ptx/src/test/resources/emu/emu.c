/*
 * A CUDA-like device on the CPU, for testing generated kernels without a GPU: the kernels'
 * LLVM IR is compiled for the host with the NVPTX intrinsics renamed to the functions below.
 * A launch runs one OS thread per GPU thread of a block; the threads walk the grid's blocks in
 * order together, with a block-wide barrier between blocks, so shared memory (plain globals
 * here) belongs to one block at a time. bar.sync is a pthread barrier over the block;
 * a warp shuffle exchanges values through a per-warp slot array between two warp barriers,
 * so it needs the whole warp, as on the GPU.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define MAX_THREADS 1024
#define WARP 32

static __thread int t_tid;
static __thread int t_ctaid[3];
static int g_ntid, g_nctaid;
static pthread_barrier_t block_barrier;
static pthread_barrier_t warp_barriers[MAX_THREADS / WARP];
static int32_t xchg[MAX_THREADS / WARP][WARP];

int emu_tid_x(void) { return t_tid; }
int emu_ntid_x(void) { return g_ntid; }
int emu_ctaid_x(void) { return t_ctaid[0]; }
int emu_ctaid_y(void) { return t_ctaid[1]; }
int emu_ctaid_z(void) { return t_ctaid[2]; }
int emu_nctaid_x(void) { return g_nctaid; }
void emu_barrier(void) { pthread_barrier_wait(&block_barrier); }

int32_t emu_shfl_bfly_i32(int32_t member_mask, int32_t v, int32_t lane_mask, int32_t clamp) {
    (void) member_mask; (void) clamp;
    int w = t_tid / WARP, lane = t_tid % WARP;
    xchg[w][lane] = v;
    pthread_barrier_wait(&warp_barriers[w]);
    int32_t r = xchg[w][lane ^ lane_mask];
    pthread_barrier_wait(&warp_barriers[w]);
    return r;
}

float emu_shfl_bfly_f32(int32_t member_mask, float v, int32_t lane_mask, int32_t clamp) {
    int32_t bits, out;
    float r;
    memcpy(&bits, &v, 4);
    out = emu_shfl_bfly_i32(member_mask, bits, lane_mask, clamp);
    memcpy(&r, &out, 4);
    return r;
}

typedef void *P;
struct launch { void *fn; int nparams; P *params; int gx, gy, gz; };
struct worker { struct launch *l; int tid; };

static void call(struct launch *l) {
    P *p = l->params;
    switch (l->nparams) {
        case 1: ((void (*)(P)) l->fn)(p[0]); break;
        case 2: ((void (*)(P, P)) l->fn)(p[0], p[1]); break;
        case 3: ((void (*)(P, P, P)) l->fn)(p[0], p[1], p[2]); break;
        case 4: ((void (*)(P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3]); break;
        case 5: ((void (*)(P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4]); break;
        case 6: ((void (*)(P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5]); break;
        case 7: ((void (*)(P, P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5], p[6]); break;
        case 8: ((void (*)(P, P, P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]); break;
        case 9: ((void (*)(P, P, P, P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]); break;
        case 10: ((void (*)(P, P, P, P, P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]); break;
        case 11: ((void (*)(P, P, P, P, P, P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10]); break;
        case 12: ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P)) l->fn)(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]); break;
    }
}

static void *run(void *arg) {
    struct worker *w = arg;
    struct launch *l = w->l;
    t_tid = w->tid;
    for (int z = 0; z < l->gz; z++)
        for (int y = 0; y < l->gy; y++)
            for (int x = 0; x < l->gx; x++) {
                t_ctaid[0] = x; t_ctaid[1] = y; t_ctaid[2] = z;
                call(l);
                pthread_barrier_wait(&block_barrier);
            }
    return 0;
}

/* Runs a kernel of nparams pointer parameters on a gx x gy x gz grid of blocks of `block` threads; 0 on success. */
int emu_launch(void *fn, int nparams, P *params, int gx, int gy, int gz, int block) {
    if (block < 1 || block > MAX_THREADS || block % WARP != 0 || nparams < 1 || nparams > 12) return 1;
    struct launch l = {fn, nparams, params, gx, gy, gz};
    pthread_t threads[MAX_THREADS];
    struct worker workers[MAX_THREADS];
    g_ntid = block;
    g_nctaid = gx;
    pthread_barrier_init(&block_barrier, 0, block);
    for (int w = 0; w < block / WARP; w++) pthread_barrier_init(&warp_barriers[w], 0, WARP);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    int started = 0, failed = 0;
    for (int t = 0; t < block; t++) {
        workers[t].l = &l;
        workers[t].tid = t;
        if (pthread_create(&threads[t], &attr, run, &workers[t]) != 0) { failed = 1; break; }
        started++;
    }
    for (int t = 0; t < started; t++) pthread_join(threads[t], 0);
    pthread_attr_destroy(&attr);
    pthread_barrier_destroy(&block_barrier);
    for (int w = 0; w < block / WARP; w++) pthread_barrier_destroy(&warp_barriers[w]);
    return failed ? 2 : 0;
}
