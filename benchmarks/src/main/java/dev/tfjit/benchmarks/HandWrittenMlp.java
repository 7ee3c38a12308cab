package dev.tfjit.benchmarks;

import java.util.Random;

/**
 * The {@code ./tfjit train} model written by hand in plain Java, as a baseline for the compiled
 * train step: 784-300-100-10 MLP with ReLU, softmax cross-entropy from logits, Adam (TF's
 * defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7), one step per batch. Loops are in
 * i-k-j order so the inner loop runs over contiguous rows, which HotSpot vectorizes.
 */
final class HandWrittenMlp {
    private static final float LR = 0.001f, BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-7f;

    private final int[] widths;
    private final float[][] weights, biases;
    private final float[][] weightGrads, biasGrads;
    private final float[][] m, v; // Adam moments, weights then biases per layer
    private final float[][] activations, deltas;
    private final int batch;
    private long step;

    HandWrittenMlp(int batch, long seed, int... widths) {
        this.batch = batch;
        this.widths = widths;
        int layers = widths.length - 1;
        weights = new float[layers][];
        biases = new float[layers][];
        weightGrads = new float[layers][];
        biasGrads = new float[layers][];
        m = new float[2 * layers][];
        v = new float[2 * layers][];
        activations = new float[widths.length][];
        deltas = new float[widths.length][];
        Random random = new Random(seed);
        for (int l = 0; l < layers; l++) {
            int in = widths[l], out = widths[l + 1];
            float limit = (float) Math.sqrt(6.0 / (in + out)); // Glorot uniform, as Dense uses
            weights[l] = new float[in * out];
            for (int i = 0; i < weights[l].length; i++) weights[l][i] = (random.nextFloat() * 2 - 1) * limit;
            biases[l] = new float[out];
            weightGrads[l] = new float[in * out];
            biasGrads[l] = new float[out];
            m[2 * l] = new float[in * out];
            v[2 * l] = new float[in * out];
            m[2 * l + 1] = new float[out];
            v[2 * l + 1] = new float[out];
        }
        for (int l = 0; l < widths.length; l++) {
            activations[l] = new float[batch * widths[l]];
            deltas[l] = new float[batch * widths[l]];
        }
    }

    /** One train step on {@code images} ([batch, 784] row-major) and integer labels; returns the mean loss. */
    float trainStep(float[] images, int[] labels) {
        System.arraycopy(images, 0, activations[0], 0, images.length);
        int layers = widths.length - 1;
        for (int l = 0; l < layers; l++) dense(l, l < layers - 1);
        float loss = softmaxCrossEntropyGrad(labels);
        for (int l = layers - 1; l >= 0; l--) backward(l);
        step++;
        for (int l = 0; l < layers; l++) {
            adam(weights[l], weightGrads[l], m[2 * l], v[2 * l]);
            adam(biases[l], biasGrads[l], m[2 * l + 1], v[2 * l + 1]);
        }
        return loss;
    }

    private void dense(int l, boolean relu) {
        int in = widths[l], out = widths[l + 1];
        float[] x = activations[l], y = activations[l + 1], w = weights[l], b = biases[l];
        for (int r = 0; r < batch; r++) {
            int yr = r * out;
            System.arraycopy(b, 0, y, yr, out);
            for (int k = 0; k < in; k++) {
                float xk = x[r * in + k];
                int wk = k * out;
                for (int j = 0; j < out; j++) y[yr + j] += xk * w[wk + j];
            }
            if (relu) for (int j = 0; j < out; j++) y[yr + j] = Math.max(y[yr + j], 0f);
        }
    }

    /** Mean cross-entropy of the logits; leaves d(loss)/d(logits) in the last deltas. */
    private float softmaxCrossEntropyGrad(int[] labels) {
        int classes = widths[widths.length - 1];
        float[] logits = activations[widths.length - 1], d = deltas[widths.length - 1];
        float total = 0;
        for (int r = 0; r < batch; r++) {
            int o = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, logits[o + j]);
            float sum = 0;
            for (int j = 0; j < classes; j++) {
                d[o + j] = (float) Math.exp(logits[o + j] - max);
                sum += d[o + j];
            }
            total += (float) Math.log(sum) + max - logits[o + labels[r]];
            for (int j = 0; j < classes; j++) d[o + j] /= sum * batch;
            d[o + labels[r]] -= 1f / batch;
        }
        return total / batch;
    }

    /** Gradients of layer l's weights and bias from deltas[l+1], and deltas[l] through the ReLU below. */
    private void backward(int l) {
        int in = widths[l], out = widths[l + 1];
        float[] x = activations[l], dy = deltas[l + 1], w = weights[l], dw = weightGrads[l], db = biasGrads[l];
        java.util.Arrays.fill(dw, 0f);
        java.util.Arrays.fill(db, 0f);
        for (int r = 0; r < batch; r++) {
            int yr = r * out;
            for (int j = 0; j < out; j++) db[j] += dy[yr + j];
            for (int k = 0; k < in; k++) {
                float xk = x[r * in + k];
                int wk = k * out;
                for (int j = 0; j < out; j++) dw[wk + j] += xk * dy[yr + j];
            }
        }
        if (l == 0) return; // no gradient needed for the images
        float[] dx = deltas[l];
        for (int r = 0; r < batch; r++) {
            int yr = r * out;
            for (int k = 0; k < in; k++) {
                int wk = k * out;
                float s = 0;
                for (int j = 0; j < out; j++) s += w[wk + j] * dy[yr + j];
                dx[r * in + k] = x[r * in + k] > 0 ? s : 0; // x is the ReLU's output
            }
        }
    }

    private void adam(float[] p, float[] g, float[] m, float[] v) {
        float lr = (float) (LR * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        for (int i = 0; i < p.length; i++) {
            m[i] += (g[i] - m[i]) * (1 - BETA1);
            v[i] += (g[i] * g[i] - v[i]) * (1 - BETA2);
            p[i] -= lr * m[i] / ((float) Math.sqrt(v[i]) + EPSILON);
        }
    }
}
