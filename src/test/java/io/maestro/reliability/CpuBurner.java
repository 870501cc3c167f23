package io.maestro.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Keeps every core busy with arithmetic while a test runs, as other processes do on a loaded CI machine. */
final class CpuBurner {
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    static volatile long sink;

    void start() {
        running.set(true);
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                long x = 1;
                while (running.get()) {
                    for (int k = 0; k < 100_000; k++) x = x * 6364136223846793005L + 1442695040888963407L;
                    sink = x;
                }
            }, "cpu-burner-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join(10_000);
        threads.clear();
    }
}
