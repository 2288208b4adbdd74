;; SIMD (f32x4) kernels of the binary Bayesian networks at batch 1 (BiMU, BayesBiNN), compiled
;; into bernoulli_wasm.ts by `deno run -A bench/build_simd.ts`. The JavaScript side
;; (bernoulli_simd.ts) owns the layout: every buffer lives in this module's memory at a
;; 16-byte-aligned byte offset it passes in, and every row length is a multiple of 4.
(module
  (memory (export "memory") 1)

  ;; tanh to float32 accuracy: the clamped odd/even rational form of lib/fast_tanh.ts
  (func $tanh4 (param $x v128) (result v128)
    (local $c v128) (local $x2 v128) (local $p v128) (local $q v128)
    (local.set $c (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -7.90531110763549805)))
                             (f32x4.splat (f32.const 7.90531110763549805))))
    (local.set $x2 (f32x4.mul (local.get $c) (local.get $c)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (f32x4.splat (f32.const -2.76076847742355e-16)))
                             (f32x4.splat (f32.const 2.00018790482477e-13))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (f32x4.splat (f32.const -8.60467152213735e-11))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (f32x4.splat (f32.const 5.12229709037114e-8))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (f32x4.splat (f32.const 1.48572235717979e-5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (f32x4.splat (f32.const 6.37261928875436e-4))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (f32x4.splat (f32.const 4.89352455891786e-3))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (f32x4.splat (f32.const 1.19825839466702e-6)))
                             (f32x4.splat (f32.const 1.18534705686654e-4))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (local.get $q)) (f32x4.splat (f32.const 2.268434632439e-3))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (local.get $q)) (f32x4.splat (f32.const 4.89352518554385e-3))))
    ;; tanh x = x below |x| = 4e-4 (NaN propagates through min/max and the division)
    (v128.bitselect (local.get $c)
      (f32x4.div (f32x4.mul (local.get $c) (local.get $p)) (local.get $q))
      (f32x4.lt (f32x4.abs (local.get $c)) (f32x4.splat (f32.const 4e-4)))))

  ;; mean[j] = tanh(lam[j]) for j < n (n a multiple of 4)
  (func (export "mean") (param $lam i32) (param $mean i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $lam) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $lam) (local.get $end)))
        (v128.store (local.get $mean) (call $tanh4 (v128.load (local.get $lam))))
        (local.set $lam (i32.add (local.get $lam) (i32.const 16)))
        (local.set $mean (i32.add (local.get $mean) (i32.const 16)))
        (br $L))))

  ;; BiMU, in place over n values (a multiple of 4) of λ at $lam with gradients at $g:
  ;;   g' = κ_ℓ·g, t = tanh λ, s = κ_KL·(1 − t²),
  ;;   λ ← λ − (η·g' + s·λ/N)/(s + 2·g'·t + 2|g'| + 1/α_max)
  (func (export "bimu")
    (param $lam i32) (param $g i32) (param $n i32) (param $lr f32) (param $kl f32) (param $kkl f32)
    (param $invN f32) (param $floor f32)
    (local $end i32) (local $l v128) (local $gg v128) (local $t v128) (local $s v128)
    (local.set $end (i32.add (local.get $lam) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $lam) (local.get $end)))
        (local.set $l (v128.load (local.get $lam)))
        (local.set $gg (f32x4.mul (v128.load (local.get $g)) (f32x4.splat (local.get $kl))))
        (local.set $t (call $tanh4 (local.get $l)))
        (local.set $s (f32x4.mul (f32x4.splat (local.get $kkl))
          (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $t) (local.get $t)))))
        (v128.store (local.get $lam) (f32x4.sub (local.get $l)
          (f32x4.div
            (f32x4.add (f32x4.mul (f32x4.splat (local.get $lr)) (local.get $gg))
                       (f32x4.mul (f32x4.mul (local.get $s) (local.get $l)) (f32x4.splat (local.get $invN))))
            (f32x4.add
              (f32x4.add (local.get $s) (f32x4.mul (f32x4.splat (f32.const 2)) (f32x4.mul (local.get $gg) (local.get $t))))
              (f32x4.add (f32x4.mul (f32x4.splat (f32.const 2)) (f32x4.abs (local.get $gg))) (f32x4.splat (local.get $floor)))))))
        (local.set $lam (i32.add (local.get $lam) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $L))))

  ;; Relaxed forward pass of an input layer at batch 1, τ = 1. For row i, sample k, output o:
  ;;   u = draw·2⁻³¹ − 1 clipped to ±(1 − 2⁻²⁴), w̃ = (m + u)/(1 + m·u),
  ;;   slope[i,k,o] = 1 − w̃²,  acc[k,o] = Σ_i x[i]·w̃.
  ;; draws and slope are (in × K × out), in the order the draws were made; acc is (K × out).
  (func (export "forward")
    (param $in i32) (param $out i32) (param $K i32) (param $mean i32) (param $x i32)
    (param $draws i32) (param $slope i32) (param $acc i32)
    (local $i i32) (local $k i32) (local $o i32) (local $row i32) (local $ap i32) (local $mp i32)
    (local $xi v128) (local $m v128) (local $u v128) (local $w v128) (local $one v128)
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $row (i32.shl (local.get $out) (i32.const 2)))
    ;; acc ← 0
    (local.set $ap (local.get $acc))
    (local.set $o (i32.add (local.get $acc) (i32.mul (local.get $row) (local.get $K))))
    (block $z (loop $Z
      (br_if $z (i32.ge_u (local.get $ap) (local.get $o)))
      (v128.store (local.get $ap) (v128.const i32x4 0 0 0 0))
      (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
      (br $Z)))
    (block $di (loop $I
      (br_if $di (i32.ge_u (local.get $i) (local.get $in)))
      (local.set $xi (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $ap (local.get $acc))
      (local.set $k (i32.const 0))
      (block $dk (loop $Kl
        (br_if $dk (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $mp (i32.add (local.get $mean) (i32.mul (local.get $i) (local.get $row))))
        (local.set $o (i32.const 0))
        (block $do (loop $O
          (br_if $do (i32.ge_u (local.get $o) (local.get $out)))
          (local.set $m (v128.load (local.get $mp)))
          (local.set $u (f32x4.sub
            (f32x4.mul (f32x4.convert_i32x4_u (v128.load (local.get $draws))) (f32x4.splat (f32.const 4.656612873077393e-10)))
            (local.get $one)))
          (local.set $u (f32x4.min (f32x4.max (local.get $u) (f32x4.splat (f32.const -0.99999994)))
                                   (f32x4.splat (f32.const 0.99999994))))
          (local.set $w (f32x4.div (f32x4.add (local.get $m) (local.get $u))
                                   (f32x4.add (local.get $one) (f32x4.mul (local.get $m) (local.get $u)))))
          (v128.store (local.get $slope) (f32x4.sub (local.get $one) (f32x4.mul (local.get $w) (local.get $w))))
          (v128.store (local.get $ap) (f32x4.add (v128.load (local.get $ap)) (f32x4.mul (local.get $xi) (local.get $w))))
          (local.set $draws (i32.add (local.get $draws) (i32.const 16)))
          (local.set $slope (i32.add (local.get $slope) (i32.const 16)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
          (local.set $mp (i32.add (local.get $mp) (i32.const 16)))
          (local.set $o (i32.add (local.get $o) (i32.const 4)))
          (br $O)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $Kl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $I))))

  ;; Input-layer gradient at batch 1: g[i,o] = x[i]·Σ_k dz[k,o]·(slope[i,k,o] + eps), then
  ;; divided by (1 − mean[i,o]² + 1e−7) when $byMean is set (BayesBiNN's ∂C/∂m).
  (func (export "gradient")
    (param $in i32) (param $out i32) (param $K i32) (param $mean i32) (param $x i32)
    (param $slope i32) (param $dz i32) (param $g i32) (param $eps f32) (param $byMean i32)
    (local $i i32) (local $k i32) (local $o i32) (local $row i32) (local $sp i32) (local $dp i32)
    (local $s v128) (local $m v128) (local $xi v128) (local $E v128)
    (local.set $row (i32.shl (local.get $out) (i32.const 2)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (block $di (loop $I
      (br_if $di (i32.ge_u (local.get $i) (local.get $in)))
      (local.set $xi (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $o (i32.const 0))
      (block $do (loop $O
        (br_if $do (i32.ge_u (local.get $o) (local.get $row)))
        (local.set $s (v128.const i32x4 0 0 0 0))
        (local.set $sp (i32.add (local.get $slope) (local.get $o)))
        (local.set $dp (i32.add (local.get $dz) (local.get $o)))
        (local.set $k (i32.const 0))
        (block $dk (loop $Kl
          (br_if $dk (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $s (f32x4.add (local.get $s)
            (f32x4.mul (v128.load (local.get $dp)) (f32x4.add (v128.load (local.get $sp)) (local.get $E)))))
          (local.set $sp (i32.add (local.get $sp) (local.get $row)))
          (local.set $dp (i32.add (local.get $dp) (local.get $row)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $Kl)))
        (local.set $s (f32x4.mul (local.get $s) (local.get $xi)))
        (if (local.get $byMean)
          (then
            (local.set $m (v128.load (i32.add (local.get $mean) (local.get $o))))
            (local.set $s (f32x4.div (local.get $s)
              (f32x4.add (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $m) (local.get $m)))
                         (f32x4.splat (f32.const 1e-7)))))))
        (v128.store (i32.add (local.get $g) (local.get $o)) (local.get $s))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $O)))
      (local.set $slope (i32.add (local.get $slope) (i32.mul (local.get $row) (local.get $K))))
      (local.set $mean (i32.add (local.get $mean) (local.get $row)))
      (local.set $g (i32.add (local.get $g) (local.get $row)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $I))))
)
