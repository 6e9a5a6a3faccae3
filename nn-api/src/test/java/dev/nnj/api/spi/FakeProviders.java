package dev.nnj.api.spi;

import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;
import dev.nnj.api.Backend;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Providers registered only on nn-api's own test class path (the test-jar leaves META-INF/services out), so
 * that backend discovery can be tested without any real backend.
 */
final class FakeProviders {
    private FakeProviders() {
    }

    /** Always available, low priority. */
    public static final class Working implements BackendProvider {
        @Override
        public String name() {
            return "fake-ok";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability availability() {
            return Availability.available("available: fake device");
        }

        @Override
        public Backend create() {
            throw new UnsupportedOperationException("the fake provider creates no backend");
        }
    }

    /** Never available, highest priority: must be skipped with its reason. */
    public static final class Missing implements BackendProvider {
        @Override
        public String name() {
            return "fake-missing";
        }

        @Override
        public int priority() {
            return 50;
        }

        @Override
        public Availability availability() {
            return Availability.unavailable("no fake device");
        }

        @Override
        public Backend create() {
            throw new IllegalStateException("no fake device");
        }
    }

    /** A provider whose probe breaks its contract by throwing. */
    public static final class Throwing implements BackendProvider {
        @Override
        public String name() {
            return "fake-throwing";
        }

        @Override
        public int priority() {
            return 20;
        }

        @Override
        public Availability availability() {
            throw new UnsatisfiedLinkError("libfake.so: cannot open shared object file");
        }

        @Override
        public Backend create() {
            throw new IllegalStateException("unreachable");
        }
    }

    /**
     * An always available provider with a fixed name and priority. The ones below are listed only by the
     * tests that load them through their own class loader ({@code BackendsTest.withProviders}).
     */
    abstract static class Named implements BackendProvider {
        private final String name;
        private final int priority;

        Named(String name, int priority) {
            this.name = name;
            this.priority = priority;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability availability() {
            return Availability.available("available: " + name);
        }

        @Override
        public Backend create() {
            throw new UnsupportedOperationException("the fake provider creates no backend");
        }
    }

    /** A constructor that loads a missing native library, against the contract. */
    public static final class Broken extends Named {
        public Broken() {
            super("fake-broken", 40);
            throw new UnsatisfiedLinkError("no fakeaccel in java.library.path");
        }
    }

    /** A static initialiser that loads a missing native library, against the contract. */
    public static final class StaticBroken extends Named {
        static {
            if (!Boolean.getBoolean("fake.static.loads")) {
                throw new UnsatisfiedLinkError("libfakeaccel.so: cannot open shared object file");
            }
        }

        public StaticBroken() {
            super("fake-static-broken", 30);
        }
    }

    /** A name that is not lower case. */
    public static final class Capitalised extends Named {
        public Capitalised() {
            super("Fake-Plain", 1);
        }
    }

    /** {@link Working}'s name in other letters, with a higher priority: it wins. */
    public static final class Shadowing extends Named {
        public Shadowing() {
            super("FAKE-OK", 9);
        }
    }

    /** {@link Working}'s name and priority: its class name comes first, so it wins. */
    public static final class Twin extends Named {
        public Twin() {
            super("fake-ok", 5);
        }
    }

    /** {@link Working}'s priority under another name, which comes first. */
    public static final class Tied extends Named {
        public Tied() {
            super("fake-a", 5);
        }
    }

    /** Counts its instances. */
    public static final class Counting extends Named {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public Counting() {
            super("fake-counting", 1);
            INSTANCES.incrementAndGet();
        }
    }
}
