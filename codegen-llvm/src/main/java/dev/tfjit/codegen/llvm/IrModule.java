package dev.tfjit.codegen.llvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module being written as text: named globals, declarations and helper functions (each added
 * once, by name) and the functions that use them.
 */
public final class IrModule {
    private final Map<String, String> helpers = new LinkedHashMap<>();
    private final List<String> globals = new ArrayList<>();
    private final List<IrFunction> functions = new ArrayList<>();
    private int globalCounter;

    /** Adds {@code text} (a declaration or a whole function) unless {@code name} is already there. */
    public void helper(String name, String text) { helpers.putIfAbsent(name, text); }

    /** A private constant holding {@code bytes}; returns its symbol. */
    String constantBytes(byte[] bytes) {
        String name = "@const" + globalCounter++;
        StringBuilder sb = new StringBuilder(bytes.length * 3 + 80);
        sb.append(name).append(" = private unnamed_addr constant [").append(bytes.length).append(" x i8] c\"");
        for (byte b : bytes) sb.append('\\').append(Character.toUpperCase(Character.forDigit((b >> 4) & 15, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
        sb.append("\", align 64");
        globals.add(sb.toString());
        return name;
    }

    public void add(IrFunction f) { functions.add(f); }

    public String text(String header) {
        StringBuilder sb = new StringBuilder(header);
        for (String g : globals) sb.append(g).append('\n');
        sb.append('\n');
        for (String h : helpers.values()) sb.append(h).append('\n');
        for (IrFunction f : functions) sb.append(f.text()).append('\n');
        return sb.toString();
    }
}
