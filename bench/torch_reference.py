"""PyTorch reference for `deno task bench` (bench/bench.ts).

Implements the benchmark's five steps the way a PyTorch user would write them, one thread:

  a  784-4096-4096-10 binarized MLP (no bias, BatchNorm with batch statistics, sign activations
     with straight-through estimators), metaplastic Adam (Laborieux et al. 2021 reference rule),
     batch 100
  b  784-4096-4096-10 ReLU MLP with biases, torch.optim.Adam, batch 100
  c  784-512-512-10 ReLU MLP with biases, torch.optim.Adam, batch 100
  d  MESU step, 784-50-10 Bayesian MLP (no bias), batch 1, 10 Monte-Carlo weight samples drawn
     as one [K, in, out] tensor, summed NLL of the sample-mean log-softmax, MESU 2025 update
  e  torch.optim.Adam update alone over one 4096x4096 parameter (16.8M values)

Protocol (stdin/stdout, one JSON object per line):
  info                      -> {"torch": version, "threads": n, "blas": ...}
  load <case> <file>        -> reads the float32 inputs written by the bench (raw little endian)
  run <case> <steps>        -> {"times": [seconds per step, ...], "loss": last loss}
  quit
"""

import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


# ----------------------------------------------------------------------------- (a) binarized MLP
class SignActivation(torch.autograd.Function):
    """sign forward, gradient passed where |x| <= 1 (activation STE)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sign()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = grad_output.clone()
        grad[x.abs() > 1.0] = 0
        return grad


class BinarizeLinear(nn.Linear):
    """Linear layer whose forward uses sign(hidden weights), as in the reference code."""

    def forward(self, x):
        if not hasattr(self.weight, "org"):
            self.weight.org = self.weight.data.clone()
        self.weight.data = self.weight.org.sign()
        return F.linear(x, self.weight)


class BNN(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.fcs = nn.ModuleList()
        self.bns = nn.ModuleList()
        for i in range(len(sizes) - 1):
            fc = BinarizeLinear(sizes[i], sizes[i + 1], bias=False)
            nn.init.uniform_(fc.weight, -0.05, 0.05)
            self.fcs.append(fc)
            self.bns.append(nn.BatchNorm1d(sizes[i + 1], affine=True, track_running_stats=False))

    def forward(self, x):
        n = len(self.fcs)
        for i in range(n):
            x = self.bns[i](self.fcs[i](x))
            if i < n - 1:
                x = SignActivation.apply(x)
        return x


class AdamMeta(torch.optim.Optimizer):
    """Metaplastic Adam of the reference repository (eps on the uncorrected sqrt(v))."""

    def __init__(self, params, lr=0.005, betas=(0.9, 0.999), meta=1.35, eps=1e-8, weight_decay=0):
        super().__init__(params, dict(lr=lr, betas=betas, meta=meta, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                beta1, beta2 = group["betas"]
                state["step"] += 1
                if group["weight_decay"] != 0:
                    grad = grad.add(p, alpha=group["weight_decay"])
                exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = exp_avg_sq.sqrt().add_(group["eps"])
                bias_correction1 = 1 - beta1 ** state["step"]
                bias_correction2 = 1 - beta2 ** state["step"]
                step_size = group["lr"] * math.sqrt(bias_correction2) / bias_correction1
                binary_weight_before_update = torch.sign(p)
                condition_consolidation = torch.mul(binary_weight_before_update, exp_avg) > 0.0
                decayed_exp_avg = torch.mul(
                    torch.ones_like(p) - torch.pow(torch.tanh(group["meta"] * torch.abs(p)), 2), exp_avg
                )
                if p.dim() == 1:  # BatchNorm parameters: plain Adam
                    p.addcdiv_(exp_avg, denom, value=-step_size)
                else:
                    p.addcdiv_(torch.where(condition_consolidation, decayed_exp_avg, exp_avg), denom, value=-step_size)


def make_a():
    model = BNN([784, 4096, 4096, 10])
    opt = AdamMeta(model.parameters(), lr=0.005, meta=1.35, weight_decay=1e-7)

    def step(x, y):
        opt.zero_grad()
        out = model(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        for p in model.parameters():
            if hasattr(p, "org"):
                p.data.copy_(p.org)
        opt.step()
        for p in model.parameters():
            if hasattr(p, "org"):
                p.org.copy_(p.data)
        return loss.item()

    return step


# ----------------------------------------------------------------------------- (b), (c) real MLP
def make_mlp(hidden):
    model = nn.Sequential(
        nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 10)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


# ----------------------------------------------------------------------------- (d) MESU
def make_mesu(samples=10, sigma_prior=1.0, mu_prior=0.0, memory=3e5):
    sizes = [784, 50, 10]
    mus, sigmas = [], []
    for i in range(2):
        fan_in = sizes[i]
        mus.append(((torch.rand(sizes[i], sizes[i + 1]) * 2 - 1) * 4 / math.sqrt(fan_in)).requires_grad_())
        sigmas.append(torch.full((sizes[i], sizes[i + 1]), 2 / math.sqrt(fan_in)).requires_grad_())

    def step(x, y):
        for t in mus + sigmas:
            t.grad = None
        h = x  # [1, 784]
        for i in range(2):
            eps = torch.randn(samples, *mus[i].shape)
            w = mus[i] + sigmas[i] * eps  # [K, in, out]
            h = torch.matmul(h, w)  # [K, B, out]
            if i == 0:
                h = F.relu(h)
        log_probs = F.log_softmax(h, dim=-1).mean(0)  # sample-mean log-softmax, [B, C]
        loss = F.nll_loss(log_probs, y, reduction="sum")
        loss.backward()
        with torch.no_grad():
            for mu, sigma in zip(mus, sigmas):
                s2 = sigma * sigma
                d_mu = -s2 * mu.grad + s2 * (mu_prior - mu) / (memory * sigma_prior**2)
                d_sigma = 0.5 * (-s2 * sigma.grad + sigma * (sigma_prior**2 - s2) / (memory * sigma_prior**2))
                mu.add_(d_mu)
                sigma.add_(d_sigma)
        return loss.item()

    return step


# ----------------------------------------------------------------------------- (e) Adam alone
def make_adam_only():
    p = torch.nn.Parameter(torch.randn(4096, 4096) * 0.01)
    p.grad = torch.randn(4096, 4096) * 0.01
    opt = torch.optim.Adam([p], lr=1e-3)

    def step(x, y):
        opt.step()
        return 0.0

    return step


# ----------------------------------------------------------------------------- (f, g) BiMU, batch 1
class ReverseGate(torch.autograd.Function):
    """y = 1 where |x| > 1, else 0; surrogate +1 on (1/2, 3/2), -1 on (-3/2, -1/2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x.abs() > 1).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        a = x.abs()
        band = ((a > 0.5) & (a < 1.5)).to(x.dtype)
        return grad_output * band * torch.sign(x)


def make_bimu(samples=5, lr=4.9, kl=161.3, kkl=3.76, lr_max=0.0023, memory=700):
    sizes = [784, 100, 10]
    lams = [((torch.rand(sizes[i], sizes[i + 1]) * 2 - 1) / math.sqrt(sizes[i])).requires_grad_() for i in range(2)]

    def step(x, y):
        for lam in lams:
            lam.grad = None
        h = x.expand(samples, 1, 784)
        for i, lam in enumerate(lams):
            eps = torch.rand(samples, *lam.shape).clamp_(1e-10, 1 - 1e-10)
            w = torch.tanh(lam + 0.5 * torch.log(eps / (1 - eps)))  # Gumbel-softmax relaxation, tau = 1
            h = F.layer_norm(torch.matmul(h, w), (sizes[i + 1],))
            if i == 0:
                h = ReverseGate.apply(h)
        log_probs = F.log_softmax(h, dim=-1).mean(0)
        loss = F.nll_loss(log_probs, y, reduction="sum")
        loss.backward()
        with torch.no_grad():
            for lam in lams:
                g = kl * lam.grad
                t = torch.tanh(lam)
                s = kkl * (1 - t * t)
                lam.sub_((lr * g + s * lam / memory) / (s + 2 * g * t + 2 * g.abs() + 1 / lr_max))
        return loss.item()

    return step


MAKERS = {"a": make_a, "b": lambda: make_mlp(4096), "c": lambda: make_mlp(512), "d": make_mesu, "e": make_adam_only, "f": make_bimu, "g": make_bimu}
BATCH = {"a": 100, "b": 100, "c": 100, "d": 1, "e": 0, "f": 1, "g": 1}


def main():
    steps = {}
    data = {}
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        cmd = parts[0]
        if cmd == "quit":
            break
        if cmd == "info":
            cfg = torch.__config__.show()
            blas = "MKL" if "MKL" in cfg or torch.backends.mkl.is_available() else ("OpenBLAS" if "OpenBLAS" in cfg else "?")
            reply = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}
        elif cmd == "load":
            case, path = parts[1], parts[2]
            n = BATCH[case]
            raw = open(path, "rb").read()
            x = torch.frombuffer(bytearray(raw[: n * 784 * 4]), dtype=torch.float32).reshape(n, 784).clone()
            y = torch.frombuffer(bytearray(raw[n * 784 * 4 :]), dtype=torch.int32).long().clone()
            data[case] = (x, y)
            reply = {"ok": True}
        elif cmd == "run":
            case, n = parts[1], int(parts[2])
            if case not in steps:
                steps[case] = MAKERS[case]()
            x, y = data.get(case, (None, None))
            times, loss = [], 0.0
            for _ in range(n):
                t0 = time.perf_counter()
                loss = steps[case](x, y)
                times.append(time.perf_counter() - t0)
            reply = {"times": times, "loss": loss}
        else:
            reply = {"error": f"unknown command {cmd}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
