package org.mixq.core;

/**
 * A dense float32 tensor in row-major (NCHW) layout, backed by a backend-owned {@link Buffer}.
 * A tensor made by {@link #reshape} is a view: it shares the buffer and does not close it.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Shape shape;
    private final Buffer buffer;
    private final boolean owner;
    private boolean closed;

    public Tensor(Backend backend, Shape shape, Buffer buffer) {
        this(backend, shape, buffer, true);
    }

    private Tensor(Backend backend, Shape shape, Buffer buffer, boolean owner) {
        if (buffer.capacity() < shape.size()) {
            throw new IllegalArgumentException("buffer of " + buffer.capacity() + " floats is too small for shape " + shape);
        }
        this.backend = backend;
        this.shape = shape;
        this.buffer = buffer;
        this.owner = owner;
    }

    public Backend backend() {
        return backend;
    }

    public Shape shape() {
        return shape;
    }

    public Buffer buffer() {
        if (closed) {
            throw new IllegalStateException("tensor " + shape + " is closed");
        }
        return buffer;
    }

    public int size() {
        return shape.size();
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public int rank() {
        return shape.rank();
    }

    /** A view with another shape of the same element count, sharing this tensor's buffer. */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != shape.size()) {
            throw new IllegalArgumentException("reshape: " + shape + " has " + shape.size() + " elements, " + s + " has " + s.size());
        }
        return new Tensor(backend, s, buffer, false);
    }

    /** Copies the elements to a new Java array. */
    public float[] toArray() {
        float[] out = new float[size()];
        backend.copyOut(out, this);
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (owner) {
                buffer.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + "@" + backend.name();
    }
}
