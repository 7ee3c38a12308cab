package dev.tfjit.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run-time values in the message of an error raised by native code. A compiled function
 * reports errors as bits of a status word, each bit a site with a fixed message; where the
 * interpreter's message names a run-time value (the bad index of a gather, say), the site's
 * message is a template whose placeholders name int64 slots of the call's scratch block, which
 * the native code fills when the error first happens. The caller formats the template before
 * the scratch block is freed, so the JIT and AOT paths raise the interpreter's exact message.
 */
public final class ErrorDetails {
    private static final Pattern SLOT = Pattern.compile("\\{i64@(\\d+)}");

    private ErrorDetails() {}

    /** The placeholder for the int64 stored at byte {@code offset} of the scratch block. */
    public static String slot(long offset) {
        if (offset < 0 || offset % Long.BYTES != 0) throw new IllegalArgumentException("an i64 slot needs an aligned offset, got " + offset);
        return "{i64@" + offset + "}";
    }

    /**
     * {@code template} with each placeholder replaced by the decimal int64 the failed call left in
     * {@code scratch}; a placeholder outside the block is left as it is (never read out of range).
     */
    public static String format(String template, MemorySegment scratch) {
        return format(template, offset -> scratch != null && offset + Long.BYTES <= scratch.byteSize()
                ? OptionalLong.of(scratch.get(ValueLayout.JAVA_LONG, offset)) : OptionalLong.empty());
    }

    /**
     * {@code template} with each placeholder replaced by the int64 {@code read} gives for its
     * (aligned) byte offset, for a scratch block that is not in host memory (a GPU program's);
     * a placeholder {@code read} has no value for is left as it is.
     */
    public static String format(String template, LongFunction<OptionalLong> read) {
        if (template.indexOf("{i64@") < 0) return template;
        Matcher m = SLOT.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long offset;
            try {
                offset = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                continue;
            }
            OptionalLong v = offset % Long.BYTES == 0 ? read.apply(offset) : OptionalLong.empty();
            m.appendReplacement(sb, Matcher.quoteReplacement(v.isPresent() ? Long.toString(v.getAsLong()) : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
