package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Kernels converting between string tensors and int32 Unicode code points, and splitting
 * strings into ragged rows. tfjit strings hold text (Java strings standing for their UTF-8
 * bytes), so UTF-8 is the one encoding; the only malformed input they can hold is a lone
 * surrogate, which the {@code errors} policy handles as TF does malformed UTF-8.
 */
public final class Unicode {
    private Unicode() {}

    /** TF's {@code errors} attribute: raise, substitute {@code replacement_char}, or drop. */
    public enum Errors { STRICT, REPLACE, IGNORE }

    public static Errors errors(String name) {
        return switch (name) {
            case "strict" -> Errors.STRICT;
            case "replace" -> Errors.REPLACE;
            case "ignore" -> Errors.IGNORE;
            default -> throw new InvalidArgumentError("errors must be one of 'strict', 'replace', 'ignore', got '" + name + "'");
        };
    }

    /** Accepts the UTF-8 spellings TF accepts; other encodings cannot be held by tfjit's strings. */
    public static void checkEncoding(String encoding) {
        String e = encoding.toUpperCase(java.util.Locale.ROOT);
        if (e.equals("UTF-8") || e.equals("UTF8")) return;
        if (e.equals("UTF-16-BE") || e.equals("UTF-32-BE")) {
            throw new UnimplementedError("encoding " + encoding + ": tfjit strings hold text, so only UTF-8 is supported");
        }
        throw new InvalidArgumentError("Could not create converter for input encoding: " + encoding);
    }

    /** TF's {@code UnicodeDecode}: code points of every string (flattened), as int64 row splits and int32 values. */
    public static List<Buffer> decode(Buffer in, Errors errors, int replacement) {
        String[] s = in.strings();
        long total = 0;
        for (String x : s) total += x.length();
        int[] cps = new int[Math.toIntExact(total)];
        Buffer splits = Buffer.allocate(DType.INT64, Shape.of(s.length + 1));
        int n = 0;
        for (int r = 0; r < s.length; r++) {
            String x = s[r];
            for (int i = 0; i < x.length(); ) {
                int cp = x.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                    if (errors == Errors.STRICT) throw new InvalidArgumentError("Invalid formatting on input string at index " + r);
                    if (errors == Errors.IGNORE) continue;
                    cp = replacement;
                }
                cps[n++] = cp;
            }
            splits.setLong(r + 1, n);
        }
        Buffer values = Buffer.allocate(DType.INT32, Shape.of(n));
        if (n > 0) MemorySegment.copy(MemorySegment.ofArray(cps), 0, values.segment(), 0, 4L * n);
        return List.of(splits, values);
    }

    /** TF's {@code UnicodeEncode}: one string per row of code points; invalid code points follow {@code errors}. */
    public static Buffer encode(Buffer codePoints, Buffer splits, Errors errors, int replacement) {
        long[] s = Ragged.checkSplits(splits, codePoints.shape().dim(0));
        MemorySegment cp = codePoints.segment();
        Buffer out = Buffer.allocate(DType.STRING, Shape.of(s.length - 1));
        String[] o = out.strings();
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r + 1 < s.length; r++) {
            sb.setLength(0);
            for (long k = s[r]; k < s[r + 1]; k++) {
                int c = cp.getAtIndex(ValueLayout.JAVA_INT, k);
                if (c < 0 || c > Character.MAX_CODE_POINT || (c >= 0xD800 && c <= 0xDFFF)) {
                    if (errors == Errors.STRICT) throw new InvalidArgumentError("Invalid code point " + c + " in row " + r);
                    if (errors == Errors.IGNORE) continue;
                    c = replacement;
                }
                sb.appendCodePoint(c);
            }
            o[r] = sb.toString();
        }
        return out;
    }

    /**
     * TF's {@code StringSplitV2}: with an empty separator, split on runs of whitespace dropping
     * empty pieces; otherwise on every occurrence of {@code sep}, keeping empty pieces (Python's
     * {@code str.split}). At most {@code maxSplit} splits when it is not negative.
     */
    public static List<Buffer> split(Buffer in, String sep, int maxSplit) {
        String[] s = in.strings();
        List<String> pieces = new java.util.ArrayList<>();
        Buffer splits = Buffer.allocate(DType.INT64, Shape.of(s.length + 1));
        for (int r = 0; r < s.length; r++) {
            if (sep.isEmpty()) splitWhitespace(s[r], maxSplit, pieces); else splitOn(s[r], sep, maxSplit, pieces);
            splits.setLong(r + 1, pieces.size());
        }
        return List.of(splits, Buffer.ofStrings(Shape.of(pieces.size()), pieces.toArray(String[]::new)));
    }

    private static void splitOn(String x, String sep, int maxSplit, List<String> out) {
        if (x.isEmpty()) return; // TF gives no pieces for an empty string
        int from = 0, done = 0;
        while (maxSplit < 0 || done < maxSplit) {
            int at = x.indexOf(sep, from);
            if (at < 0) break;
            out.add(x.substring(from, at));
            from = at + sep.length();
            done++;
        }
        out.add(x.substring(from));
    }

    private static void splitWhitespace(String x, int maxSplit, List<String> out) {
        int i = 0, n = x.length(), done = 0;
        while (i < n) {
            while (i < n && isSpace(x.charAt(i))) i++;
            if (i >= n) break;
            if (maxSplit >= 0 && done == maxSplit) {
                int end = n;
                while (end > i && isSpace(x.charAt(end - 1))) end--;
                out.add(x.substring(i, end));
                return;
            }
            int start = i;
            while (i < n && !isSpace(x.charAt(i))) i++;
            out.add(x.substring(start, i));
            done++;
        }
    }

    /** The ASCII whitespace TF's split uses (absl's ascii_isspace). */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
