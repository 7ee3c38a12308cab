package dev.tfjit.cli;

import dev.tfjit.nn.TrainMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tfjit train [options]}: trains the Fashion-MNIST MLP ({@link TrainMain}, which parses
 * the options and prints their help on {@code --help}). The train step runs as native code from
 * the LLVM backend unless {@code --backend} or {@code --eager} says otherwise.
 */
@Command(name = "train",
        description = "Train an MLP on Fashion-MNIST with a train step compiled to native code. Options: --epochs N, "
                + "--batch-size N, --model mlp|cnn, --optimizer adam|sgd, --dropout RATE, --data-dir DIR, --seed N, --backend interpreter|llvm-cpu "
                + "(default llvm-cpu), --eager; 'tfjit train --help' lists them all.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OPTION", description = "Options for the training job (see above).")
    List<String> options = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(options);
        if (!args.contains("--backend") && !args.contains("--eager")) args.addAll(0, List.of("--backend", "llvm-cpu"));
        return TrainMain.run(args.toArray(String[]::new), System.out, System.err);
    }
}
