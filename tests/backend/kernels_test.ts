import * as tf from "@tensorflow/tfjs";
import { assert } from "../assert.ts";
import { compareWithStock, rand } from "./helpers.ts";
import { jsSgemm, type Sgemm } from "../../lib/backend/gemm.ts";
import { loadBlas } from "../../lib/backend/blas.ts";
import {
  FAST_KERNEL_NAMES,
  installCpuKernels,
  uninstallCpuKernels,
} from "../../lib/backend/kernels.ts";

await tf.setBackend("cpu");
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;

// Both GEMMs behind the kernels: the JavaScript fallback always, OpenBLAS when present.
const blas = loadBlas();
const gemms: [string, Sgemm][] = [["js", jsSgemm]];
if (blas) gemms.push(["blas", blas.sgemm]);

const SPECIAL = tf.tensor1d([NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 1e-30, 3]);

for (const [label, gemm] of gemms) {
  Deno.test(`kernels (${label}): matMul, every transpose, batched, broadcast, odd and empty`, () => {
    const cases: [number[], number[]][] = [
      [[3, 5], [5, 4]],
      [[1, 1], [1, 1]],
      [[7, 1], [1, 9]],
      [[1, 13], [13, 1]],
      [[33, 65], [65, 17]],
      [[0, 4], [4, 3]],
      [[3, 0], [0, 2]],
      [[2, 3, 4], [2, 4, 5]],
      [[1, 3, 4], [4, 4, 5]],
      [[4, 3, 4], [1, 4, 5]],
      [[2, 2, 3, 4], [2, 2, 4, 2]],
      [[5, 3, 4], [4, 6]],
    ];
    let seed = 1;
    for (const [sa, sb] of cases) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const shA = sa.slice(), shB = sb.slice();
          const ra = shA.length, rb = shB.length;
          if (ta) [shA[ra - 2], shA[ra - 1]] = [shA[ra - 1], shA[ra - 2]];
          if (tb) [shB[rb - 2], shB[rb - 1]] = [shB[rb - 1], shB[rb - 2]];
          const a = rand(shA, seed++), b = rand(shB, seed++);
          compareWithStock(`matMul ${shA}×${shB} ${ta} ${tb}`, () => tf.matMul(a, b, ta, tb), gemm);
          compareWithStock(
            `grad matMul ${shA}×${shB} ${ta} ${tb}`,
            () =>
              tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, ta, tb).square().sum())([
                a,
                b,
              ]),
            gemm,
            1e-4,
          );
          tf.dispose([a, b]);
        }
      }
    }
    // mismatched inner dimensions are rejected by both
    compareWithStock("matMul mismatch", () => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2])), gemm);
  });

  Deno.test(`kernels (${label}): fused matMul with bias and every activation`, () => {
    const a = rand([6, 5], 11), b = rand([5, 7], 12), bias = rand([7], 13), alpha = rand([7], 14);
    const acts = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const;
    for (const activation of acts) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        const A = ta ? a.transpose() : a, B = tb ? b.transpose() : b;
        compareWithStock(
          `fused ${activation} ${ta} ${tb}`,
          () =>
            tf.fused.matMul({
              a: A,
              b: B,
              transposeA: ta,
              transposeB: tb,
              bias,
              activation,
              preluActivationWeights: activation === "prelu" ? alpha : undefined,
              leakyreluAlpha: 0.3,
            }),
          gemm,
        );
      }
    }
    compareWithStock(
      "fused, column bias",
      () => tf.fused.matMul({ a, b, bias: rand([6, 1], 15), activation: "relu" }),
      gemm,
    );
    compareWithStock(
      "fused grad",
      () =>
        tf.grads((p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) =>
          tf.fused.matMul({ a: p, b: q, bias: c, activation: "relu" }).sum()
        )([a, b, bias]),
      gemm,
      1e-4,
    );
  });
}

const gemm = blas?.sgemm ?? jsSgemm;

Deno.test("kernels: binary ops with every broadcasting pattern, dtypes, special values", () => {
  const shapes: [number[], number[]][] = [
    [[4, 5], [4, 5]],
    [[4, 5], []],
    [[], [4, 5]],
    [[4, 5], [5]],
    [[4, 5], [1, 5]],
    [[4, 5], [4, 1]],
    [[4, 1], [1, 5]],
    [[2, 1, 3], [1, 4, 1]],
    [[2, 3, 4, 5], [3, 1, 5]],
    [[1], [1]],
    [[0, 3], [3]],
    [[0, 3], [0, 3]],
    [[1, 1], [7]],
    [[3, 2], [4, 2]], // not broadcastable: both throw
  ];
  const names: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ["add", tf.add],
    ["sub", tf.sub],
    ["mul", tf.mul],
    ["div", tf.div],
    ["maximum", tf.maximum],
    ["minimum", tf.minimum],
    ["squaredDifference", tf.squaredDifference],
    ["pow", tf.pow],
    ["greater", tf.greater],
    ["greaterEqual", tf.greaterEqual],
    ["less", tf.less],
    ["lessEqual", tf.lessEqual],
    ["equal", tf.equal],
    ["notEqual", tf.notEqual],
    ["prelu", tf.prelu],
  ];
  let seed = 100;
  for (const [sa, sb] of shapes) {
    const a = rand(sa, seed++, 3), b = rand(sb, seed++, 3);
    for (const [n, f] of names) compareWithStock(`${n} ${sa} ${sb}`, () => f(a, b), gemm);
  }
  // int32 and bool inputs, and IEEE special values
  const ia = tf.tensor2d([[1, -2, 3], [4, 5, -6]], undefined, "int32"),
    ib = tf.tensor1d([2, 2, -3], "int32");
  for (const [n, f] of names.slice(0, 7)) compareWithStock(`${n} int32`, () => f(ia, ib), gemm);
  for (const [n, f] of names.slice(8, 14)) {
    compareWithStock(`${n} int32`, () => f(ia, ib), gemm);
    compareWithStock(`${n} bool`, () => f(tf.greater(ia, 0), tf.greater(ib, 0)), gemm);
  }
  const sb = SPECIAL.reverse();
  for (const [n, f] of names) compareWithStock(`${n} special`, () => f(SPECIAL, sb), gemm);
});

Deno.test("kernels: unary ops on random, special and empty inputs", () => {
  const x = rand([7, 9], 5, 4), pos = tf.abs(rand([3, 11], 6, 4)).add(0.1);
  const ops: [string, (t: tf.Tensor) => tf.Tensor][] = [
    ["sign", tf.sign],
    ["relu", tf.relu],
    ["relu6", (t) => tf.relu6(t.mul(3))],
    ["step", (t) => tf.step(t)],
    ["step alpha", (t) => tf.step(t, 0.25)],
    ["leakyRelu", (t) => tf.leakyRelu(t, 0.1)],
    ["elu", tf.elu],
    ["abs", tf.abs],
    ["neg", tf.neg],
    ["exp", tf.exp],
    ["expm1", tf.expm1],
    ["log", tf.log],
    ["log1p", tf.log1p],
    ["sqrt", tf.sqrt],
    ["rsqrt", tf.rsqrt],
    ["square", tf.square],
    ["reciprocal", tf.reciprocal],
    ["tanh", tf.tanh],
    ["sigmoid", tf.sigmoid],
    ["floor", tf.floor],
    ["ceil", tf.ceil],
    ["clipByValue", (t) => tf.clipByValue(t, -0.5, 1.5)],
    ["softplus", tf.softplus],
  ];
  for (const [n, f] of ops) {
    compareWithStock(`${n} random`, () => f(x), gemm);
    compareWithStock(`${n} positive`, () => f(pos), gemm);
    compareWithStock(`${n} special`, () => f(SPECIAL), gemm);
    compareWithStock(`${n} empty`, () => f(tf.zeros([0, 4])), gemm);
    compareWithStock(`${n} scalar`, () => f(tf.scalar(-0.75)), gemm);
  }
  compareWithStock("sign int32", () => tf.sign(tf.tensor1d([-3, 0, 4], "int32")), gemm);
  compareWithStock(
    "gradient of relu and sign STE",
    () => tf.grad((t: tf.Tensor) => tf.relu(t).mul(tf.sigmoid(t)).sum())(x),
    gemm,
  );
});

Deno.test("kernels: reductions, softmax, addN, transpose, tile", () => {
  const x3 = rand([3, 4, 5], 21, 2), x2 = rand([6, 7], 22, 2);
  const axes: (number | number[] | undefined)[] = [undefined, 0, 1, 2, -1, [0, 1], [1, 2], [0, 2], [
    0,
    1,
    2,
  ]];
  for (const axis of axes) {
    for (const keep of [false, true]) {
      for (
        const [n, f] of [["sum", tf.sum], ["mean", tf.mean], ["max", tf.max], [
          "min",
          tf.min,
        ]] as const
      ) {
        compareWithStock(`${n} ${axis} ${keep}`, () => f(x3, axis, keep), gemm);
      }
    }
  }
  compareWithStock("sum special", () => tf.sum(SPECIAL), gemm);
  compareWithStock("max special", () => tf.max(SPECIAL), gemm);
  compareWithStock("sum int32", () => tf.sum(tf.tensor1d([1, 2, 3], "int32")), gemm);
  compareWithStock("sum bool", () => tf.sum(tf.greater(x2, 0), 1), gemm);
  compareWithStock("sum 1 element", () => tf.sum(tf.tensor2d([[2.5]]), 0), gemm);
  compareWithStock("sum empty axis", () => tf.sum(tf.zeros([0, 3]), 0), gemm);
  compareWithStock("mean scalar", () => tf.mean(tf.scalar(3)), gemm);
  for (const t of [tf.tensor1d([1, 2, 3]), x2, x3, tf.tensor2d([[1000, -1000, 0]])]) {
    compareWithStock(`softmax ${t.shape}`, () => tf.softmax(t), gemm);
    compareWithStock(`logSoftmax ${t.shape}`, () => tf.logSoftmax(t), gemm);
  }
  compareWithStock(
    "softmax cross-entropy grad",
    () =>
      tf.grad((t: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot([1, 2, 0, 3, 4, 6], 7), t))(
        x2,
      ),
    gemm,
  );
  compareWithStock("addN", () => tf.addN([x2, x2.mul(2), x2.neg()]), gemm);
  compareWithStock("transpose 2d", () => tf.transpose(x2), gemm);
  compareWithStock("transpose batched", () => tf.transpose(x3, [0, 2, 1]), gemm);
  compareWithStock("transpose other perm", () => tf.transpose(x3, [2, 0, 1]), gemm);
  compareWithStock(
    "transpose int32",
    () => tf.transpose(tf.tensor2d([[1, 2, 3]], undefined, "int32")),
    gemm,
  );
  compareWithStock("transpose big", () => tf.transpose(rand([67, 45], 23)), gemm);
  compareWithStock("tile", () => tf.tile(x3, [2, 1, 3]), gemm);
  compareWithStock("tile rank 1", () => tf.tile(tf.tensor1d([1, 2]), [3]), gemm);
  compareWithStock("tile empty", () => tf.tile(tf.zeros([0, 2]), [2, 2]), gemm);
  compareWithStock("tile bool", () => tf.tile(tf.greater(x2, 0), [1, 2]), gemm);
});

Deno.test("kernels: a small MLP's variableGrads agree with the stock kernels", () => {
  const w1 = tf.variable(rand([20, 16], 31, 0.3)), b1 = tf.variable(rand([16], 32, 0.1));
  const w2 = tf.variable(rand([16, 5], 33, 0.3));
  const x = rand([9, 20], 34), y = tf.oneHot([0, 1, 2, 3, 4, 0, 1, 2, 3], 5);
  compareWithStock(
    "mlp grads",
    () => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(y, tf.relu(x.matMul(w1).add(b1)).matMul(w2)) as tf.Scalar,
        [w1, b1, w2],
      );
      return [value, grads[w1.name], grads[b1.name], grads[w2.name]];
    },
    gemm,
    1e-4,
  );
  tf.dispose([w1, b1, w2]);
});

Deno.test("kernels: install and uninstall are idempotent and restore the stock kernels", () => {
  uninstallCpuKernels();
  const stockMatMul = tf.getKernel("BatchMatMul", "cpu")!.kernelFunc;
  installCpuKernels(jsSgemm);
  installCpuKernels(gemm);
  for (const name of FAST_KERNEL_NAMES) assert(tf.getKernel(name, "cpu"), `${name} registered`);
  assert(tf.getKernel("BatchMatMul", "cpu")!.kernelFunc !== stockMatMul, "fast matMul installed");
  uninstallCpuKernels();
  assert(tf.getKernel("BatchMatMul", "cpu")!.kernelFunc === stockMatMul, "stock matMul restored");
});
