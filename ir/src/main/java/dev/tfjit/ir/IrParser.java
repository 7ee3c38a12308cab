package dev.tfjit.ir;

import dev.tfjit.ir.IrLexer.Kind;
import dev.tfjit.ir.IrLexer.Token;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the IR text that {@link IrPrinter} writes back into a {@link Graph} that prints
 * identically. Ops are looked up in the {@link OpCatalog}; every node's annotated types are
 * checked against its op's type rule, and names resolve with SSA scoping (a region sees the
 * values of its enclosing blocks defined before it, never those of sibling or inner blocks).
 * Errors are {@link IrParseException}s that give {@code line:column} and what was expected.
 */
public final class IrParser {
    private static final Pattern NUMBERED = Pattern.compile("[0-9]+");

    private final List<Token> tokens;
    private int pos;
    /** Visible names, innermost block first. */
    private final Deque<Map<String, Value>> scopes = new ArrayDeque<>();
    /** Every name defined so far; the printer keeps names unique across a whole function. */
    private final Set<String> defined = new HashSet<>();
    /** The {@code return}/{@code yield} of the block parsed last, where result errors point. */
    private Token lastTerminator;

    private IrParser(List<Token> tokens) { this.tokens = tokens; }

    /** Parses one function. */
    public static Graph parse(String text) {
        IrParser p = new IrParser(IrLexer.tokenize(text));
        try {
            Graph g = p.function();
            p.expectKind(Kind.EOF, "end of input after the function");
            return g;
        } catch (StackOverflowError e) {
            Token t = p.peek();
            throw new IrParseException(t.line(), t.column(), "regions are nested too deeply to parse");
        }
    }

    // ------------------------------------------------------------------ structure

    private Graph function() {
        expectKeyword("func");
        Token name = peek();
        if (name.kind() != Kind.SYMBOL) throw expected("a function name like '@f'");
        pos++;
        expect("(");
        scopes.push(new HashMap<>());
        List<Value> params = params(")");
        expect(")");
        expect("->");
        List<TensorType> declared = resultTypes();
        expect("{");
        Block b = blockBody(params, "return");
        Token ret = lastTerminator;
        expect("}");
        scopes.pop();
        if (!b.resultTypes().equals(declared)) {
            throw error(ret, "@" + name.text() + " declares results " + declared + " but returns " + b.resultTypes());
        }
        return new Graph(name.text(), b);
    }

    private List<TensorType> resultTypes() {
        if (!peek().is("(")) return List.of(type());
        pos++;
        List<TensorType> types = new ArrayList<>();
        if (!peek().is(")")) {
            do types.add(type()); while (accept(","));
        }
        expect(")");
        return types;
    }

    /** {@code %a: f32[2], %b: i32[]} up to (not including) {@code close}; defines the names in the current scope. */
    private List<Value> params(String close) {
        List<Value> params = new ArrayList<>();
        if (peek().is(close)) return params;
        do {
            Token name = expectKind(Kind.VALUE, "a parameter name like '%x'");
            expect(":");
            Value v = new Value(type(), SourceLocation.UNKNOWN, hintFor(name.text()));
            define(name, v);
            params.add(v);
        } while (accept(","));
        return params;
    }

    /** Nodes up to the terminator ({@code return} or {@code yield}) and the values it yields; the scope of {@code params} is already open. */
    private Block blockBody(List<Value> params, String terminator) {
        List<Node> nodes = new ArrayList<>();
        while (!peek().is(terminator)) {
            if (peek().kind() == Kind.EOF || peek().is("}")) throw expected("a node or '" + terminator + "'");
            nodes.add(node());
        }
        lastTerminator = peek();
        pos++;
        List<Value> results = new ArrayList<>();
        if (peek().kind() == Kind.VALUE && !peek().startsLine()) {
            do results.add(use(expectKind(Kind.VALUE, "a value"))); while (accept(","));
        }
        endOfLine();
        return new Block(params, nodes, results);
    }

    private Node node() {
        List<Token> outNames = new ArrayList<>();
        if (peek().kind() == Kind.VALUE) {
            do outNames.add(expectKind(Kind.VALUE, "a result name")); while (accept(","));
            expect("=");
        }
        for (Token t : outNames) reserve(t);
        Token opTok = expectKind(Kind.IDENT, "an op name");
        if (!OpCatalog.has(opTok.text())) throw error(opTok, "unknown op '" + opTok.text() + "'");
        OpDef op = OpCatalog.get(opTok.text());

        List<Value> inputs = new ArrayList<>();
        if (onSameLine() && peek().kind() == Kind.VALUE) {
            do inputs.add(use(expectKind(Kind.VALUE, "an operand"))); while (accept(","));
        }
        Attrs attrs = Attrs.EMPTY;
        if (onSameLine() && peek().is("{") && !peekAt(1).is("^")) attrs = attrs();
        List<TensorType> types = new ArrayList<>();
        if (onSameLine() && peek().is(":")) {
            Token colon = peek();
            pos++;
            do types.add(type()); while (accept(","));
            if (types.size() != outNames.size()) {
                throw error(colon, outNames.size() + " result names but " + types.size() + " types");
            }
        } else if (!outNames.isEmpty()) {
            throw expected("':' and the result types");
        }
        List<Block> regions = new ArrayList<>();
        while (onSameLine() && peek().is("{")) regions.add(region());
        SourceLocation loc = SourceLocation.UNKNOWN;
        if (onSameLine() && peek().is("loc")) loc = location();
        endOfLine();

        checkTypes(opTok, op, inputs, attrs, regions, types);
        List<Value> outputs = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            Value v = new Value(types.get(i), loc, hintFor(outNames.get(i).text()));
            scopes.peek().put(outNames.get(i).text(), v);
            outputs.add(v);
        }
        return new Node(op, inputs, attrs, regions, outputs, loc);
    }

    /** {@code { ^(%i: i32[]): ... yield %x }}. */
    private Block region() {
        expect("{");
        expect("^");
        expect("(");
        scopes.push(new HashMap<>());
        List<Value> params = params(")");
        expect(")");
        expect(":");
        Block b = blockBody(params, "yield");
        expect("}");
        scopes.pop();
        return b;
    }

    private SourceLocation location() {
        expectKeyword("loc");
        expect("(");
        Token file = peek();
        if (file.kind() != Kind.IDENT && file.kind() != Kind.STRING) throw expected("a file name");
        pos++;
        expect(":");
        Token line = expectKind(Kind.INT, "a line number");
        expect(")");
        return new SourceLocation(file.text(), (int) integer(line, 0, Integer.MAX_VALUE));
    }

    /** The op's type rule must accept the node and agree with the annotated types. */
    private void checkTypes(Token opTok, OpDef op, List<Value> inputs, Attrs attrs, List<Block> regions, List<TensorType> annotated) {
        List<TensorType> inferred;
        try {
            inferred = op.inferTypes(inputs.stream().map(Value::type).toList(), attrs, regions);
        } catch (RuntimeException e) {
            throw new IrParseException(opTok.line(), opTok.column(), op.name() + " rejects this node: " + e.getMessage(), e);
        }
        if (!inferred.equals(annotated)) {
            throw error(opTok, op.name() + " infers " + typeList(inferred) + " but the IR says " + typeList(annotated));
        }
    }

    // ------------------------------------------------------------------ attributes

    private Attrs attrs() {
        expect("{");
        TreeMap<String, AttrValue> m = new TreeMap<>();
        do {
            Token name = peek();
            if (name.kind() != Kind.IDENT && name.kind() != Kind.STRING) throw expected("an attribute name");
            pos++;
            expect("=");
            if (m.put(name.text(), attrValue()) != null) throw error(name, "attribute '" + name.text() + "' is given twice");
        } while (accept(","));
        expect("}");
        return Attrs.of(m);
    }

    private AttrValue attrValue() {
        Token t = peek();
        switch (t.kind()) {
            case INT -> {
                pos++;
                return new AttrValue.Int(integer(t, Long.MIN_VALUE, Long.MAX_VALUE));
            }
            case FLOAT -> {
                return new AttrValue.Float(float64());
            }
            case STRING -> {
                pos++;
                return new AttrValue.Str(t.text());
            }
            default -> { }
        }
        if (t.is("[")) return numberList(false);
        if (t.is("-") || t.is("nan") || t.is("inf")) return new AttrValue.Float(float64());
        if (t.is("true") || t.is("false")) {
            pos++;
            return new AttrValue.Bool(t.text().equals("true"));
        }
        if (t.is("floats")) {
            pos++;
            expect("<");
            AttrValue v = numberList(true);
            expect(">");
            return v;
        }
        if (t.is("shape")) {
            pos++;
            expect("<");
            Shape s = shape();
            expect(">");
            return new AttrValue.ShapeAttr(s);
        }
        if (t.is("dense")) return new AttrValue.Tensor(dense());
        if (t.kind() == Kind.IDENT) {
            pos++;
            return new AttrValue.Type(dtype(t));
        }
        throw expected("an attribute value (number, string, true/false, [list], dtype, shape<...> or dense<...>)");
    }

    /** {@code [1, 2]} is a list of integers and {@code [1.0, nan]} one of floats; inside {@code floats<...>} integers count as floats. */
    private AttrValue numberList(boolean allFloats) {
        expect("[");
        List<Token> starts = new ArrayList<>();
        List<Object> items = new ArrayList<>();
        boolean anyFloat = allFloats, anyInt = false;
        if (!peek().is("]")) {
            do {
                Token t = peek();
                starts.add(t);
                if (t.kind() == Kind.INT) {
                    pos++;
                    items.add(integer(t, Long.MIN_VALUE, Long.MAX_VALUE));
                    anyInt = true;
                } else {
                    items.add(float64());
                    anyFloat = true;
                }
            } while (accept(","));
        }
        expect("]");
        if (anyFloat) {
            if (anyInt && !allFloats) {
                throw error(starts.get(items.indexOf(items.stream().filter(o -> o instanceof Long).findFirst().orElseThrow())),
                        "a list mixes integers and floats; write floats with a '.' (1.0)");
            }
            double[] d = new double[items.size()];
            for (int i = 0; i < d.length; i++) d[i] = items.get(i) instanceof Long l ? l : (Double) items.get(i);
            return new AttrValue.Floats(d);
        }
        long[] l = new long[items.size()];
        for (int i = 0; i < l.length; i++) l[i] = (Long) items.get(i);
        return new AttrValue.Ints(l);
    }

    /** {@code dense<f32[2]: 1.0, nan>}: a constant tensor, element by element in row-major order. */
    private Buffer dense() {
        expectKeyword("dense");
        expect("<");
        Token typeTok = peek();
        TensorType type = type();
        if (!type.shape().isFullyKnown()) throw error(typeTok, "a dense tensor needs a fully known shape, got " + type);
        expect(":");
        long n;
        try {
            n = type.shape().numElements();
        } catch (ArithmeticException e) {
            throw error(typeTok, "dense tensor " + type + " has too many elements");
        }
        // Each element takes a token, so a count beyond the remaining tokens is an error, found before allocating.
        if (n > tokens.size() - pos) {
            throw error(typeTok, "dense<" + type + "> needs " + n + " elements but the text has fewer tokens left");
        }
        Buffer b;
        if (type.dtype() == DType.STRING) {
            String[] s = new String[(int) n];
            for (int i = 0; i < n; i++) {
                if (i > 0) expectElementSeparator(type, i);
                s[i] = expectKind(Kind.STRING, "a string element").text();
            }
            b = Buffer.ofStrings(type.shape(), s);
        } else {
            b = Buffer.allocate(type.dtype(), type.shape());
            for (long i = 0; i < n; i++) {
                if (i > 0) expectElementSeparator(type, i);
                element(b, i);
            }
        }
        if (!peek().is(">")) throw expected("'>' after the " + n + " elements of dense<" + type + ">");
        pos++;
        return b;
    }

    private void expectElementSeparator(TensorType type, long index) {
        if (peek().is(">")) throw expected(type + " has " + type.shape().numElements() + " elements, but only " + index + " are given; expected ','");
        expect(",");
    }

    private void element(Buffer b, long i) {
        Token t = peek();
        DType dt = b.dtype();
        switch (dt.kind()) {
            case BOOL -> {
                if (!t.is("true") && !t.is("false")) throw expected("true or false");
                pos++;
                b.setLong(i, t.text().equals("true") ? 1 : 0);
            }
            case INT -> {
                Token v = expectKind(Kind.INT, "an integer");
                b.setLong(i, integer(v, dt.minIntegerValue(), dt.maxIntegerValue()));
            }
            case FLOAT -> {
                if (t.is("nan") && peekAt(1).is("(")) {
                    pos += 2;
                    Token bits = expectKind(Kind.INT, "NaN bits like 0x7fc00001");
                    expect(")");
                    try {
                        FloatBits.setRaw(b, i, Long.parseUnsignedLong(hexDigits(bits), 16));
                    } catch (IllegalArgumentException e) {
                        throw error(bits, e.getMessage() + " (" + dt.shortName() + ")");
                    }
                    if (!Double.isNaN(b.getDouble(i))) throw error(bits, bits.text() + " is not a NaN in " + dt.shortName());
                } else if (dt == DType.FLOAT64) {
                    b.setDouble(i, float64());
                } else {
                    // Parse as float, not double: rounding twice could miss the printed float.
                    b.setDouble(i, float32());
                }
            }
            default -> throw new IllegalStateException("unreachable: " + dt);
        }
    }

    private double float64() {
        Token t = peek();
        boolean negative = accept("-");
        Token v = peek();
        if (v.is("inf")) {
            pos++;
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (negative) throw expected("'inf' after '-'");
        if (v.is("nan")) {
            pos++;
            if (!accept("(")) return Double.NaN;
            Token bits = expectKind(Kind.INT, "NaN bits like 0x7ff8000000000001");
            expect(")");
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(hexDigits(bits), 16));
            if (!Double.isNaN(d)) throw error(bits, bits.text() + " is not a NaN");
            return d;
        }
        if (v.kind() != Kind.FLOAT && v.kind() != Kind.INT) throw error(t, "expected a number, got " + t.describe());
        pos++;
        if (v.text().contains("0x")) throw error(v, "hex numbers are only allowed as NaN bits");
        return Double.parseDouble(v.text());
    }

    private float float32() {
        Token t = peek();
        if (t.kind() == Kind.FLOAT || t.kind() == Kind.INT) {
            if (t.text().contains("0x")) throw error(t, "hex numbers are only allowed as NaN bits");
            pos++;
            return Float.parseFloat(t.text());
        }
        return (float) float64();
    }

    private String hexDigits(Token bits) {
        String s = bits.text();
        if (!s.startsWith("0x") && !s.startsWith("0X")) throw error(bits, "expected NaN bits in hex like 0x7fc00001, got " + s);
        if (s.length() > 18) throw error(bits, s + " has more than 64 bits");
        return s.substring(2);
    }

    // ------------------------------------------------------------------ types

    private TensorType type() {
        Token t = expectKind(Kind.IDENT, "a type like f32[2,?]");
        DType dt = dtype(t);
        return new TensorType(dt, shape());
    }

    private DType dtype(Token t) {
        for (DType d : DType.values()) if (d.shortName().equals(t.text())) return d;
        StringBuilder known = new StringBuilder();
        for (DType d : DType.values()) known.append(known.isEmpty() ? "" : ", ").append(d.shortName());
        throw error(t, "unknown dtype '" + t.text() + "' (expected one of " + known + ")");
    }

    /** {@code [2,?,3]}, {@code []} or {@code [*]} (unknown rank). */
    private Shape shape() {
        expect("[");
        if (accept("*")) {
            expect("]");
            return Shape.unknownRank();
        }
        List<Integer> dims = new ArrayList<>();
        if (!peek().is("]")) {
            do {
                if (accept("?")) dims.add(Shape.UNKNOWN);
                else {
                    Token d = peek();
                    if (d.kind() != Kind.INT) throw expected("a dim (a size or '?')");
                    pos++;
                    dims.add((int) integer(d, 0, Integer.MAX_VALUE));
                }
            } while (accept(","));
        }
        expect("]");
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    // ------------------------------------------------------------------ names

    private static String hintFor(String name) { return NUMBERED.matcher(name).matches() ? null : name; }

    private void reserve(Token name) {
        if (!defined.add(name.text())) throw error(name, "'%" + name.text() + "' is defined twice");
    }

    private void define(Token name, Value v) {
        reserve(name);
        scopes.peek().put(name.text(), v);
    }

    private Value use(Token name) {
        for (Map<String, Value> scope : scopes) {
            Value v = scope.get(name.text());
            if (v != null) return v;
        }
        if (defined.contains(name.text())) {
            throw error(name, "'%" + name.text() + "' is not visible here: it is defined in another region or is this node's own result");
        }
        throw error(name, "use of undefined value '%" + name.text() + "'");
    }

    // ------------------------------------------------------------------ tokens

    private Token peek() { return tokens.get(pos); }

    private Token peekAt(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

    /** Whether the next token continues the current line (a node never spans lines except inside its regions). */
    private boolean onSameLine() { return !peek().startsLine(); }

    private void endOfLine() {
        if (!peek().startsLine()) throw expected("the end of the line");
    }

    private boolean accept(String punct) {
        if (peek().is(punct) && peek().kind() == Kind.PUNCT) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String punct) {
        if (!accept(punct)) throw expected("'" + punct + "'");
    }

    private void expectKeyword(String word) {
        if (peek().kind() != Kind.IDENT || !peek().text().equals(word)) throw expected("'" + word + "'");
        pos++;
    }

    private Token expectKind(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) throw expected(what);
        pos++;
        return t;
    }

    private long integer(Token t, long min, long max) {
        long v;
        try {
            String s = t.text();
            if (s.startsWith("0x") || s.startsWith("0X")) v = Long.parseUnsignedLong(s.substring(2), 16);
            else if (s.startsWith("-0x") || s.startsWith("-0X")) v = -Long.parseLong(s.substring(3), 16);
            else v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(t, "integer " + t.text() + " does not fit in 64 bits");
        }
        if (v < min || v > max) throw error(t, "integer " + t.text() + " is out of range [" + min + ", " + max + "]");
        return v;
    }



    private static String typeList(List<TensorType> types) {
        return types.size() == 1 ? types.get(0).toString() : types.toString();
    }

    private IrParseException expected(String what) {
        Token t = peek();
        return error(t, "expected " + what + ", got " + t.describe());
    }

    private static IrParseException error(Token t, String message) {
        return new IrParseException(t.line(), t.column(), message);
    }
}
