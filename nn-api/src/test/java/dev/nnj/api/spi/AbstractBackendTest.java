package dev.nnj.api.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnj.api.Tensor;
import org.junit.jupiter.api.Test;

/** What the spi base classes give a backend written as docs/backends.md says, without a kernel of its own. */
class AbstractBackendTest {

    @Test
    void checkHostRangeRefusesHostCopiesOnAClosedBackend() {
        // As TensorConformance's aTensorStillOpenOnAClosedBackendRefusesHostCopies, with a tensor that only
        // calls checkHostRange: it cannot call the backend's protected requireOpen from its own package.
        StubBackend backend = new StubBackend("plain", "plain Java loops");
        Tensor t = backend.tensor(new float[] {1, 2}, 1, 2);
        assertArrayEquals(new float[] {1, 2}, t.toArray());
        backend.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
        assertEquals("copyTo: the plain backend is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> t.copyFrom(new float[2], 0));
        assertEquals("copyFrom: the plain backend is closed", e.getMessage());
        // The tensor's own checks come before the backend's: a closed tensor or a bad range says so.
        assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[1], 0));
        t.close();
        e = assertThrows(IllegalStateException.class, t::toArray);
        assertEquals("tensor (1, 2) on plain is closed", e.getMessage());
    }

    /**
     * A delegating backend whose doZeros hands back its delegate's tensors is caught at the allocation, naming the
     * hook, rather than in every later op as a caller's tensor "on another backend".
     */
    @Test
    void aTensorOfAnotherBackendFromDoZerosIsCaughtThere() {
        StubBackend inner = new StubBackend("inner", "the delegate");
        StubBackend outer = new StubBackend("outer", "delegating");
        outer.tensorsOwner = inner;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> outer.zeros(2, 3));
        assertEquals(StubBackend.class.getName() + ".doZeros returned a tensor whose backend() is 'inner', not this "
                + "'outer' backend; a backend's tensors must return it from backend()", e.getMessage());
    }

    @Test
    void toStringPrefixesTheNameUnlessTheDescriptionStartsWithNameAndColon() {
        assertEquals("plain: plain Java loops", new StubBackend("plain", "plain Java loops").toString());
        assertEquals("plain: Java loops", new StubBackend("plain", "plain: Java loops").toString());
        StubBackend closed = new StubBackend("plain", "plainly Java");
        closed.close();
        assertEquals("plain: plainly Java (closed)", closed.toString());
    }
}
