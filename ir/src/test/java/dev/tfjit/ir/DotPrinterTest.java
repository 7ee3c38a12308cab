package dev.tfjit.ir;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The Graphviz form shows ops with their types, uses as edges, and regions as clusters. */
class DotPrinterTest {
    @Test
    void straightLineGraph() {
        Graph g = IrParser.parse("""
                func @f(%x: f32[2], %y: f32[2]) -> f32[2] {
                  %0 = add %x, %y : f32[2] loc(Model.java:3)
                  return %0
                }
                """);
        assertEquals("""
                digraph "f" {
                  node [shape=box, fontname="monospace"];
                  n0 [shape=ellipse, label="%x: f32[2]"];
                  n1 [shape=ellipse, label="%y: f32[2]"];
                  n2 [label="add\\n%0: f32[2]\\n@Model.java:3"];
                  n0 -> n2 [label="%x"];
                  n1 -> n2 [label="%y"];
                  n3 [shape=plaintext, label="return"];
                  n2 -> n3 [label="%0"];
                }
                """, DotPrinter.print(g));
    }

    @Test
    void regionsBecomeClustersAndCapturesCrossTheirBorder() {
        Graph g = IrParser.parse("""
                func @count(%n: i32[]) -> i32[] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = while %0 : i32[] {
                  ^(%i: i32[]):
                    %2 = less %i, %n : bool[]
                    yield %2
                  } {
                  ^(%j: i32[]):
                    yield %j
                  }
                  return %1
                }
                """);
        String dot = DotPrinter.print(g);
        assertTrue(dot.contains("subgraph cluster_0 {\n    label=\"while region 0\";"), dot);
        assertTrue(dot.contains("subgraph cluster_1 {\n    label=\"while region 1\";"), dot);
        // %n is defined outside the cond region (n0) and used by less inside it.
        assertTrue(dot.contains("n0 -> n4 [label=\"%n\"];"), dot);
        assertTrue(dot.contains("n4 [label=\"less\\n%2: bool[]\"];"), dot);
        assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count());
    }

    @Test
    void quotesAndNewlinesInNamesAreEscaped() {
        Graph g = new GraphBuilder("a \"b\"\nc").build(java.util.List.of());
        assertTrue(DotPrinter.print(g).startsWith("digraph \"a \\\"b\\\"\\nc\" {\n"), DotPrinter.print(g));
    }
}
