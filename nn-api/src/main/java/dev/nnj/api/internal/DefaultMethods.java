package dev.nnj.api.internal;

/**
 * Whether a class leaves an interface's default method as it is: the question behind a check that a user's class
 * implements what a caller relies on ({@code Layer.infer}, which {@code Sequential} looks at; {@code
 * Optimizer.exportState}, which {@code ModelCheckpoint} does).
 */
public final class DefaultMethods {
    private DefaultMethods() {
    }

    /**
     * Whether {@code type}'s public method {@code name(parameters)} is the one {@code declaring} declares: the
     * interface's default, not an override.
     *
     * @param type       the class looked at
     * @param declaring  the interface whose default method it is
     * @param name       the method's name
     * @param parameters its parameter types
     * @return true if {@code type} does not override it
     * @throws IllegalArgumentException if {@code type} has no such public method at all
     */
    public static boolean leftAsDefault(Class<?> type, Class<?> declaring, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters).getDeclaringClass() == declaring;
        } catch (NoSuchMethodException none) {
            throw new IllegalArgumentException(type.getName() + " has no public " + name + " method", none);
        }
    }
}
