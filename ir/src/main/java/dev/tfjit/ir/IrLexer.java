package dev.tfjit.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits IR text into tokens with their positions. Newlines are not tokens, but each token
 * knows whether it starts a line: a node's operands, attributes and types stay on its line,
 * which is how the parser tells a node without outputs from the next node.
 */
final class IrLexer {
    enum Kind { IDENT, VALUE, SYMBOL, INT, FLOAT, STRING, PUNCT, EOF }

    /**
     * One token. {@code text} is the source text for identifiers, numbers and punctuation, the
     * name without {@code %} for values, and the decoded contents for strings.
     */
    record Token(Kind kind, String text, int line, int column, boolean startsLine) {
        boolean is(String punctOrKeyword) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrKeyword);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "end of input";
                case VALUE -> "'%" + text + "'";
                case SYMBOL -> "'@" + text + "'";
                case STRING -> "string " + IrPrinter.quote(text);
                default -> "'" + text + "'";
            };
        }
    }

    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;
    private boolean atLineStart = true;

    private IrLexer(String src) { this.src = src; }

    static List<Token> tokenize(String src) {
        IrLexer lx = new IrLexer(src);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lx.next();
            out.add(t);
        } while (t.kind() != Kind.EOF);
        return out;
    }

    private Token next() {
        skipSpaceAndComments();
        int start = pos;
        int col = pos - lineStart + 1;
        boolean first = atLineStart;
        atLineStart = false;
        if (pos >= src.length()) return new Token(Kind.EOF, "", line, col, true);
        char c = src.charAt(pos);
        if (isIdentStart(c)) {
            while (pos < src.length() && isIdentPart(src.charAt(pos))) pos++;
            return new Token(Kind.IDENT, src.substring(start, pos), line, col, first);
        }
        if (c == '%') {
            pos++;
            while (pos < src.length() && isIdentPart(src.charAt(pos))) pos++;
            if (pos == start + 1) throw error(col, "expected a value name after '%'");
            return new Token(Kind.VALUE, src.substring(start + 1, pos), line, col, first);
        }
        if (c == '@') {
            // A function name may contain '-' and '$', which identifiers elsewhere do not.
            pos++;
            if (pos < src.length() && src.charAt(pos) == '"') return new Token(Kind.SYMBOL, readString(col), line, col, first);
            while (pos < src.length() && (isIdentPart(src.charAt(pos)) || src.charAt(pos) == '-' || src.charAt(pos) == '$')) pos++;
            if (pos == start + 1) throw error(col, "expected a function name after '@'");
            return new Token(Kind.SYMBOL, src.substring(start + 1, pos), line, col, first);
        }
        if (Character.isDigit(c) || (c == '-' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
            return number(col, first);
        }
        if (c == '"') return new Token(Kind.STRING, readString(col), line, col, first);
        if (c == '-' && pos + 1 < src.length() && src.charAt(pos + 1) == '>') {
            pos += 2;
            return new Token(Kind.PUNCT, "->", line, col, first);
        }
        if ("()[]{}<>,:=^?*-".indexOf(c) >= 0) {
            pos++;
            return new Token(Kind.PUNCT, String.valueOf(c), line, col, first);
        }
        throw error(col, "unexpected character '" + printable(c) + "'");
    }

    private Token number(int col, boolean first) {
        int start = pos;
        if (src.charAt(pos) == '-') pos++;
        if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
            pos += 2;
            int digits = pos;
            while (pos < src.length() && Character.digit(src.charAt(pos), 16) >= 0) pos++;
            if (pos == digits) throw error(col, "expected hex digits after '0x'");
            return new Token(Kind.INT, src.substring(start, pos), line, col, first);
        }
        boolean isFloat = false;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        if (pos < src.length() && src.charAt(pos) == '.') {
            isFloat = true;
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            isFloat = true;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            int digits = pos;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            if (pos == digits) throw error(col, "expected exponent digits in '" + src.substring(start, pos) + "'");
        }
        if (pos < src.length() && isIdentStart(src.charAt(pos))) {
            throw error(col, "unexpected character '" + src.charAt(pos) + "' in number '" + src.substring(start, pos + 1) + "'");
        }
        return new Token(isFloat ? Kind.FLOAT : Kind.INT, src.substring(start, pos), line, col, first);
    }

    /** Reads a quoted string starting at {@code pos} and returns its decoded contents. */
    private String readString(int col) {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') throw error(col, "unterminated string");
            char c = src.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) throw error(col, "unterminated string");
            char e = src.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) throw error(pos - lineStart - 1, "expected 4 hex digits after \\u");
                    int v = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(src.charAt(pos + k), 16);
                        if (d < 0) throw error(pos - lineStart - 1, "expected 4 hex digits after \\u");
                        v = v * 16 + d;
                    }
                    pos += 4;
                    sb.append((char) v);
                }
                default -> throw error(pos - lineStart - 1, "unknown escape '\\" + printable(e) + "' (use \\\" \\\\ \\n \\t or \\uXXXX)");
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
                atLineStart = true;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '/' && src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else {
                return;
            }
        }
    }

    private IrParseException error(int col, String message) { return new IrParseException(line, col, message); }

    private static String printable(char c) { return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c); }

    private static boolean isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

    private static boolean isIdentPart(char c) { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '.'; }
}
