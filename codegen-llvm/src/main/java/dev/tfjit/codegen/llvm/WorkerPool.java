package dev.tfjit.codegen.llvm;

/**
 * The process-wide worker that lets a kernel use the second core: one POSIX thread, started on
 * first use and then kept, that runs one part of a split loop while the calling thread runs
 * the other. Generated kernels call
 * {@code void @tfjit_parallel_for(ptr fn, ptr ctx, i64 n, i64 split)}, which runs
 * {@code fn(ctx, 0, split, 0)} on the caller and {@code fn(ctx, split, n, 1)} on the worker and
 * returns when both are done (the last argument is the part, so each part can use its own
 * scratch and status word).
 *
 * <p>The runtime module below defines it once per process (the JIT links it before any kernel,
 * an ahead-of-time library links its own copy). Handing over costs well under a microsecond
 * while the worker spins (it spins for a while after each part, so the kernels of one call
 * find it awake) and a futex wake-up once it sleeps. The second part goes to whoever claims it
 * first: a caller done with its own part takes it back if the worker has not started it (its
 * core busy with other work), so a split loop is never much slower than an unsplit one. One
 * split loop runs at a time: a caller that finds the pool busy (another Java thread's kernel,
 * or a part that splits again) runs both parts itself. Parts write disjoint memory, so results
 * never depend on who ran what.
 */
final class WorkerPool {
    private WorkerPool() {}

    static final String PARALLEL_FOR = "@tfjit_parallel_for";

    /** The declaration a kernel module adds to call the pool. */
    static final String DECLARATION = "declare void @tfjit_parallel_for(ptr, ptr, i64, i64)";

    /** Pause instructions the worker and the caller spin for before sleeping (some tens of microseconds). */
    private static final int SPIN = 4000;

    /**
     * The runtime module's IR for {@code triple}, or null where the futex system call number is
     * not known (then kernels are emitted without splitting).
     */
    static String runtimeModule(String triple) {
        String futex, pause;
        if (triple.startsWith("x86_64")) {
            futex = "202";
            pause = "call void @llvm.x86.sse2.pause()";
        } else if (triple.startsWith("aarch64")) {
            futex = "98";
            pause = "call void @llvm.aarch64.hint(i32 1)";
        } else {
            return null;
        }
        String declarePause = triple.startsWith("x86_64") ? "declare void @llvm.x86.sse2.pause()" : "declare void @llvm.aarch64.hint(i32)";
        return """
                ; One split loop at a time. generation: bumped by the caller to publish a part; taken:
                ; the last generation whose second part someone (worker or caller) claimed; done: set to
                ; a generation by the worker when it has run that part; the flags say who sleeps.
                @tfjit_pool_generation = internal global i32 0, align 64
                @tfjit_pool_taken = internal global i32 0, align 64
                @tfjit_pool_done = internal global i32 0, align 64
                @tfjit_pool_worker_sleeps = internal global i32 0, align 4
                @tfjit_pool_caller_sleeps = internal global i32 0, align 4
                @tfjit_pool_busy = internal global i32 0, align 64
                @tfjit_pool_started = internal global i32 0, align 4
                @tfjit_pool_fn = internal global ptr null, align 8
                @tfjit_pool_ctx = internal global ptr null, align 8
                @tfjit_pool_begin = internal global i64 0, align 8
                @tfjit_pool_end = internal global i64 0, align 8

                declare i32 @pthread_create(ptr, ptr, ptr, ptr)
                declare i32 @pthread_detach(i64)
                declare i64 @syscall(i64, ...)
                DECLARE_PAUSE

                ; futex wait (private): sleeps unless *addr != expected (then returns at once).
                define internal void @tfjit_futex_wait(ptr %addr, i32 %expected) noinline {
                  %e = zext i32 %expected to i64
                  %r = call i64 (i64, ...) @syscall(i64 FUTEX, ptr %addr, i64 128, i64 %e, ptr null)
                  ret void
                }

                ; futex wake (private), one waiter.
                define internal void @tfjit_futex_wake(ptr %addr) noinline {
                  %r = call i64 (i64, ...) @syscall(i64 FUTEX, ptr %addr, i64 129, i64 1)
                  ret void
                }

                ; Spins, then sleeps, until *addr differs from old (or, with %equal, equals old); returns
                ; the value seen. *sleeps is raised (sequentially consistent, like the waker's store and
                ; load) before the last check.
                define internal i32 @tfjit_await(ptr %addr, i32 %old, i1 %equal, ptr %sleeps) noinline {
                entry:
                  br label %spin
                spin:
                  %i = phi i32 [0, %entry], [%i1, %pause], [0, %woken]
                  %v = load atomic i32, ptr %addr acquire, align 4
                  %same = icmp eq i32 %v, %old
                  %ready = xor i1 %same, %equal
                  %out = xor i1 %ready, true
                  br i1 %out, label %exit, label %pause
                pause:
                  PAUSE
                  %i1 = add i32 %i, 1
                  %more = icmp ult i32 %i1, SPIN
                  br i1 %more, label %spin, label %sleep
                sleep:
                  store atomic i32 1, ptr %sleeps seq_cst, align 4
                  %v2 = load atomic i32, ptr %addr seq_cst, align 4
                  %same2 = icmp eq i32 %v2, %old
                  %ready2 = xor i1 %same2, %equal
                  br i1 %ready2, label %wait, label %awake
                wait:
                  call void @tfjit_futex_wait(ptr %addr, i32 %v2)
                  br label %awake
                awake:
                  store atomic i32 0, ptr %sleeps seq_cst, align 4
                  br label %woken
                woken:
                  br label %spin
                exit:
                  ret i32 %v
                }

                ; Publishes *addr = value and wakes the other side if it sleeps.
                define internal void @tfjit_publish(ptr %addr, i32 %value, ptr %sleeps) noinline {
                  store atomic i32 %value, ptr %addr seq_cst, align 4
                  %s = load atomic i32, ptr %sleeps seq_cst, align 4
                  %asleep = icmp ne i32 %s, 0
                  br i1 %asleep, label %wake, label %done
                wake:
                  call void @tfjit_futex_wake(ptr %addr)
                  br label %done
                done:
                  ret void
                }

                ; Waits for each new generation and runs its second part, unless the caller already took it.
                define internal ptr @tfjit_pool_worker(ptr %unused) {
                entry:
                  br label %idle
                idle:
                  %seen = phi i32 [0, %entry], [%g, %idle], [%g, %ran]
                  %g = call i32 @tfjit_await(ptr @tfjit_pool_generation, i32 %seen, i1 false, ptr @tfjit_pool_worker_sleeps)
                  %previous = sub i32 %g, 1
                  %claim = cmpxchg ptr @tfjit_pool_taken, i32 %previous, i32 %g acq_rel monotonic
                  %mine = extractvalue { i32, i1 } %claim, 1
                  br i1 %mine, label %run, label %idle
                run:
                  %fn = load ptr, ptr @tfjit_pool_fn, align 8
                  %ctx = load ptr, ptr @tfjit_pool_ctx, align 8
                  %b = load i64, ptr @tfjit_pool_begin, align 8
                  %e = load i64, ptr @tfjit_pool_end, align 8
                  call void %fn(ptr %ctx, i64 %b, i64 %e, i64 1)
                  call void @tfjit_publish(ptr @tfjit_pool_done, i32 %g, ptr @tfjit_pool_caller_sleeps)
                  br label %ran
                ran:
                  br label %idle
                }

                define void @tfjit_parallel_for(ptr %fn, ptr %ctx, i64 %n, i64 %split) {
                entry:
                  %thread = alloca i64, align 8
                  %lock = cmpxchg ptr @tfjit_pool_busy, i32 0, i32 1 acquire monotonic
                  %locked = extractvalue { i32, i1 } %lock, 1
                  br i1 %locked, label %check, label %serial
                serial:
                  call void %fn(ptr %ctx, i64 0, i64 %split, i64 0)
                  call void %fn(ptr %ctx, i64 %split, i64 %n, i64 1)
                  ret void
                check:
                  %started = load i32, ptr @tfjit_pool_started, align 4
                  %ready = icmp ne i32 %started, 0
                  br i1 %ready, label %publish, label %start
                start:
                  %rc = call i32 @pthread_create(ptr %thread, ptr null, ptr @tfjit_pool_worker, ptr null)
                  %ok = icmp eq i32 %rc, 0
                  br i1 %ok, label %detach, label %unlock.serial
                detach:
                  %id = load i64, ptr %thread, align 8
                  %dr = call i32 @pthread_detach(i64 %id)
                  store i32 1, ptr @tfjit_pool_started, align 4
                  br label %publish
                unlock.serial:
                  store atomic i32 0, ptr @tfjit_pool_busy release, align 4
                  br label %serial
                publish:
                  store ptr %fn, ptr @tfjit_pool_fn, align 8
                  store ptr %ctx, ptr @tfjit_pool_ctx, align 8
                  store i64 %split, ptr @tfjit_pool_begin, align 8
                  store i64 %n, ptr @tfjit_pool_end, align 8
                  %g0 = load i32, ptr @tfjit_pool_generation, align 4
                  %g = add i32 %g0, 1
                  call void @tfjit_publish(ptr @tfjit_pool_generation, i32 %g, ptr @tfjit_pool_worker_sleeps)
                  call void %fn(ptr %ctx, i64 0, i64 %split, i64 0)
                  ; A worker that has not started the second part yet (its core busy elsewhere) loses it to us.
                  %claim = cmpxchg ptr @tfjit_pool_taken, i32 %g0, i32 %g acq_rel monotonic
                  %mine = extractvalue { i32, i1 } %claim, 1
                  br i1 %mine, label %self, label %wait
                self:
                  call void %fn(ptr %ctx, i64 %split, i64 %n, i64 1)
                  br label %unlock
                wait:
                  %d = call i32 @tfjit_await(ptr @tfjit_pool_done, i32 %g, i1 true, ptr @tfjit_pool_caller_sleeps)
                  br label %unlock
                unlock:
                  store atomic i32 0, ptr @tfjit_pool_busy release, align 4
                  ret void
                }
                """.replace("DECLARE_PAUSE", declarePause).replace("PAUSE", pause).replace("FUTEX", futex)
                .replace("SPIN", Integer.toString(SPIN));
    }
}
