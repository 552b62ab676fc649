import Atomics
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// A thread that runs `body` once; `join()` waits for it.
final class EngineThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void

    private init(_ body: @escaping () -> Void) { self.body = body }

    /// Starts `body` on a new thread named `name` (at most 15 bytes are kept: `top -H` and
    /// `/proc/PID/task/*/comm` show it).
    static func start(name: String, _ body: @escaping () -> Void) -> EngineThread {
        let thread = EngineThread {
            nameCurrentThread(name)
            body()
        }
        let context = Unmanaged.passRetained(thread).toOpaque()
        let result = pthread_create(
            &thread.thread, nil,
            { context in
                let thread = Unmanaged<EngineThread>.fromOpaque(context!).takeRetainedValue()
                thread.body()
                return nil
            }, context)
        precondition(result == 0, "pthread_create failed for \(name): \(result)")
        return thread
    }

    func join() { pthread_join(thread, nil) }
}

/// Names the calling thread for the system's tools (the kernel keeps 15 bytes). Through
/// `/proc/thread-self/comm`: Glibc's `pthread_setname_np` is not visible to Swift.
public func nameCurrentThread(_ name: String) {
    #if os(Linux)
    let file = open("/proc/thread-self/comm", O_WRONLY)
    guard file >= 0 else { return }
    defer { close(file) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
    #endif
}

/// Monotonic nanoseconds (for measuring).
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// CPU time used by the calling thread, in nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Milliseconds since the epoch, from the wall clock.
func wallClockMilliseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
}

/// Lets one thread wait for a condition that other threads make true: it spins
/// briefly, then yields, then sleeps until one of them calls `wake()`. A waker pays
/// a fence and one atomic load when no one sleeps.
final class Parker: @unchecked Sendable {
    private let sleeping = UnsafeAtomic<Bool>.create(false)
    private let semaphore = DispatchSemaphore(value: 0)
    private let spins: Int
    private let yields: Int

    init(spins: Int = 4_000, yields: Int = 20) {
        self.spins = spins
        self.yields = yields
    }

    deinit { _ = sleeping.destroy() }

    /// Returns once `ready()` is true. Only one thread may wait on a parker.
    func wait(until ready: () -> Bool) {
        for _ in 0..<spins where ready() { return }
        for _ in 0..<yields {
            if ready() { return }
            sched_yield()
        }
        while true {
            sleeping.store(true, ordering: .sequentiallyConsistent)
            // Dekker: our store of `sleeping` must be seen before we read the condition, as the
            // waker's store of the condition must be seen before it reads `sleeping` (see `wake`).
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            if ready() {
                // A waker that saw us sleeping will signal: take its signal so none is left over.
                if !sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.wait() }
                return
            }
            semaphore.wait()
            if ready() { return }
        }
    }

    /// Sleeps for at most `nanoseconds` unless woken; for a waiter with its own timer.
    func sleep(nanoseconds: UInt64, unless ready: () -> Bool) {
        sleeping.store(true, ordering: .sequentiallyConsistent)
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if ready() {
            if !sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.wait() }
            return
        }
        if semaphore.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
            if !sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.wait() }
        }
    }

    /// Wakes the waiter if it sleeps. Call it after making the waiter's condition true.
    @inline(__always)
    func wake() {
        // Without the fence the load could be done before the store that made the condition
        // true is visible (x86 lets a load pass an earlier store): the waiter would then sleep on.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .relaxed)
            && sleeping.exchange(false, ordering: .sequentiallyConsistent)
        {
            semaphore.signal()
        }
    }
}
