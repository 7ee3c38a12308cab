package dev.tfjit.passes;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fusion while the planner grows it: its members (with the role each plays), its heroes and
 * the values it must write to memory. Members are added consumer first, since the planner walks
 * a block backwards; a cheap member may belong to several groups (it is recomputed in each).
 */
final class FusionGroup {
    /** The {@code kind} attribute of the fusion node this group becomes. */
    enum Kind {
        LOOP("loop"), INPUT("input"), OUTPUT("output");

        final String attr;

        Kind(String attr) { this.attr = attr; }
    }

    /** Where a member's elements are computed. */
    enum Role {
        /** In the loop nest of a loop fusion. */
        LOOP,
        /** In the hero's input index space (before a reduction). */
        PROLOGUE,
        HERO,
        /** In the hero's output index space (after a reduction or matmul). */
        EPILOGUE
    }

    final int id;
    Kind kind;
    /** The latest member in block order; the fusion node takes its place. */
    Node root;
    final List<Node> heroes = new ArrayList<>();
    final Map<Node, Role> roles = new IdentityHashMap<>();
    /** Values besides the root's outputs that users outside the group read (multi-output fusion). */
    final List<Value> extraOutputs = new ArrayList<>();
    /** The roots of sibling groups merged into this one; their outputs are outputs too. */
    final List<Node> mergedRoots = new ArrayList<>();

    FusionGroup(int id, Node root, Kind kind, Role rootRole) {
        this.id = id;
        this.root = root;
        this.kind = kind;
        roles.put(root, rootRole);
        if (rootRole == Role.HERO) heroes.add(root);
    }

    boolean contains(Node n) { return roles.containsKey(n); }

    Role role(Node n) { return roles.get(n); }
}
