;; SIMD (f32x4) kernels of the fused optimizers, compiled into simd_wasm.ts by
;; `deno run -A bench/build_simd.ts`. The JavaScript side (simd.ts) copies chunks of at most
;; CHUNK = 16384 values into the five regions below, calls a kernel, and copies the results
;; back; lanes past n compute on stale values that are never copied out.
;;   P @ 0        parameters (in/out)
;;   G @ 65536    gradients (in)
;;   M @ 131072   first moments (in/out)
;;   V @ 196608   second moments (in/out)
;;   S @ 262144   sign of the new parameters (out, metaplastic kernel only)
(module
  (memory (export "memory") 5)

  ;; Adam: g ← g + wd·w; m ← b1·m + c1·g; v ← b2·v + c2·g²; w ← shrink·w − a·m/(√v + e)
  (func (export "adam")
    (param $n i32) (param $b1 f32) (param $b2 f32) (param $c1 f32) (param $c2 f32)
    (param $a f32) (param $e f32) (param $wd f32) (param $shrink f32)
    (local $i i32) (local $end i32) (local $w v128) (local $g v128) (local $m v128) (local $v v128)
    (local $B1 v128) (local $B2 v128) (local $C1 v128) (local $C2 v128) (local $A v128)
    (local $E v128) (local $WD v128) (local $SH v128)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $A (f32x4.splat (local.get $a)))
    (local.set $E (f32x4.splat (local.get $e)))
    (local.set $WD (f32x4.splat (local.get $wd)))
    (local.set $SH (f32x4.splat (local.get $shrink)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $w (v128.load (local.get $i)))
        (local.set $g (f32x4.add (v128.load offset=65536 (local.get $i))
                                 (f32x4.mul (local.get $WD) (local.get $w))))
        (local.set $m (f32x4.add (f32x4.mul (local.get $B1) (v128.load offset=131072 (local.get $i)))
                                 (f32x4.mul (local.get $C1) (local.get $g))))
        (local.set $v (f32x4.add (f32x4.mul (local.get $B2) (v128.load offset=196608 (local.get $i)))
                                 (f32x4.mul (local.get $C2) (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store offset=131072 (local.get $i) (local.get $m))
        (v128.store offset=196608 (local.get $i) (local.get $v))
        (v128.store (local.get $i)
          (f32x4.sub (f32x4.mul (local.get $SH) (local.get $w))
            (f32x4.div (f32x4.mul (local.get $A) (local.get $m))
                       (f32x4.add (f32x4.sqrt (local.get $v)) (local.get $E)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $L))))

  ;; Metaplastic Adam: Adam's moments; step U = a·m/(√v + e), scaled by
  ;; f = 1 − tanh²(meta·w) = 4q/(1+q)², q = exp(−2·meta·|w|), where w·m > 0; S ← sign(new w).
  (func (export "meta")
    (param $n i32) (param $b1 f32) (param $b2 f32) (param $c1 f32) (param $c2 f32)
    (param $a f32) (param $e f32) (param $wd f32) (param $twoMeta f32) (param $sign i32)
    (local $i i32) (local $end i32) (local $w v128) (local $g v128) (local $m v128) (local $v v128)
    (local $y v128) (local $j v128) (local $jf v128) (local $r v128) (local $p v128) (local $q v128)
    (local $d v128) (local $f v128) (local $nw v128) (local $one v128)
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $w (v128.load (local.get $i)))
        (local.set $g (f32x4.add (v128.load offset=65536 (local.get $i))
                                 (f32x4.mul (f32x4.splat (local.get $wd)) (local.get $w))))
        (local.set $m (f32x4.add (f32x4.mul (f32x4.splat (local.get $b1)) (v128.load offset=131072 (local.get $i)))
                                 (f32x4.mul (f32x4.splat (local.get $c1)) (local.get $g))))
        (local.set $v (f32x4.add (f32x4.mul (f32x4.splat (local.get $b2)) (v128.load offset=196608 (local.get $i)))
                                 (f32x4.mul (f32x4.splat (local.get $c2)) (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store offset=131072 (local.get $i) (local.get $m))
        (v128.store offset=196608 (local.get $i) (local.get $v))
        ;; q = exp(y), y = −2·meta·|w| ≤ 0: y = −j·ln2 + r, |r| ≤ ln2/2, j ∈ [0, 126]
        (local.set $y (f32x4.mul (f32x4.splat (f32.neg (local.get $twoMeta))) (f32x4.abs (local.get $w))))
        (local.set $j (i32x4.min_s
          (i32x4.trunc_sat_f32x4_s
            (f32x4.sub (f32x4.splat (f32.const 0.5)) (f32x4.mul (local.get $y) (f32x4.splat (f32.const 1.4426950408889634)))))
          (i32x4.splat (i32.const 126))))
        (local.set $jf (f32x4.convert_i32x4_s (local.get $j)))
        ;; Cody–Waite: ln2 = 0.693145751953125 + 1.4286068203094172e-6
        (local.set $r (f32x4.add
          (f32x4.add (local.get $y) (f32x4.mul (local.get $jf) (f32x4.splat (f32.const 0.693145751953125))))
          (f32x4.mul (local.get $jf) (f32x4.splat (f32.const 1.4286068203094172e-6)))))
        ;; degree-6 Taylor polynomial of exp(r) (positive for every r)
        (local.set $p (f32x4.add (f32x4.splat (f32.const 0.008333333333333333))
                                 (f32x4.mul (local.get $r) (f32x4.splat (f32.const 0.001388888888888889)))))
        (local.set $p (f32x4.add (f32x4.splat (f32.const 0.041666666666666664)) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (f32x4.splat (f32.const 0.16666666666666666)) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (f32x4.splat (f32.const 0.5)) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (local.get $one) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (local.get $one) (f32x4.mul (local.get $r) (local.get $p))))
        ;; 2^−j from its exponent bits
        (local.set $q (f32x4.mul (local.get $p)
          (i32x4.shl (i32x4.sub (i32x4.splat (i32.const 127)) (local.get $j)) (i32.const 23))))
        (local.set $d (f32x4.add (local.get $one) (local.get $q)))
        (local.set $f (f32x4.div (f32x4.mul (f32x4.splat (f32.const 4)) (local.get $q))
                                 (f32x4.mul (local.get $d) (local.get $d))))
        ;; f where w·m > 0 (the step moves w towards zero), 1 elsewhere
        (local.set $f (v128.bitselect (local.get $f) (local.get $one)
          (f32x4.gt (f32x4.mul (local.get $w) (local.get $m)) (f32x4.splat (f32.const 0)))))
        (local.set $nw (f32x4.sub (local.get $w)
          (f32x4.div (f32x4.mul (f32x4.mul (f32x4.splat (local.get $a)) (local.get $m)) (local.get $f))
                     (f32x4.add (f32x4.sqrt (local.get $v)) (f32x4.splat (local.get $e))))))
        (v128.store (local.get $i) (local.get $nw))
        (if (local.get $sign)
          (then
            (v128.store offset=262144 (local.get $i)
              (f32x4.sub
                (v128.and (f32x4.gt (local.get $nw) (f32x4.splat (f32.const 0))) (local.get $one))
                (v128.and (f32x4.lt (local.get $nw) (f32x4.splat (f32.const 0))) (local.get $one))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $L))))
)
