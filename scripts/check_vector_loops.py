#!/usr/bin/env python3
"""The innermost loops with packed FMAs in object files (objdump -d), with
their instruction mix: a check that the matrix products' reduction loops
are packed ymm/zmm FMAs with no call and no spill to the stack.

    python3 scripts/check_vector_loops.py .build/x86_64-unknown-linux-gnu/release/DecayKernels.build/*.o

One line per loop: its length, the mix (fma ymm/zmm, broadcast, vector
load/store, SPILL = a vector move to or from the stack, CALL, other) and the
function. Exits 1 if any such loop has a CALL or a SPILL."""
import re, subprocess, sys, collections
def loops(path):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", path], capture_output=True, text=True).stdout
    func, insns = None, []
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m: func = m.group(1); continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m: insns.append((func, int(m.group(1), 16), m.group(2), m.group(3)))
    addr_index = {a: i for i, (_, a, _, _) in enumerate(insns)}
    found = []
    for i, (f, a, op, args) in enumerate(insns):
        if not op.startswith("j") or op == "jmp": continue
        t = re.match(r"([0-9a-f]+) <", args)
        if not t: continue
        target = int(t.group(1), 16)
        if target >= a or target not in addr_index: continue
        body = insns[addr_index[target]:i + 1]
        if any(b[0] != f for b in body): continue
        inner = False
        for _, ba, bo, bx in body[:-1]:
            bt = re.match(r"([0-9a-f]+) <", bx)
            if bo.startswith("j") and bo != "jmp" and bt and int(bt.group(1), 16) < ba and int(bt.group(1), 16) >= target:
                inner = True
        if inner: continue
        mix = collections.Counter()
        for _, _, o, x in body:
            if re.match(r"vfn?m(add|sub)[0-9]+ps", o): mix["fma " + ("zmm" if "zmm" in x else "ymm" if "ymm" in x else "xmm")] += 1
            elif o.startswith("vbroadcastss"): mix["broadcast"] += 1
            elif o in ("vmovups", "vmovaps") and "(%rsp)" in x: mix["SPILL"] += 1
            elif o in ("vmovups", "vmovaps"): mix["load/store"] += 1
            elif o.startswith("call"): mix["CALL"] += 1
            else: mix["other"] += 1
        if any(k.startswith("fma") for k in mix): found.append((f, len(body), mix))
    return found
bad = 0
for path in sys.argv[1:]:
    for f, n, mix in loops(path):
        mix_text = ", ".join(f"{v} {k}" for k, v in sorted(mix.items(), key=lambda kv: -kv[1]))
        print(f"{path.rsplit('/', 1)[-1]}: {n} insns: {mix_text}  {f[:90]}")
        bad += mix["CALL"] + mix["SPILL"]
sys.exit(1 if bad else 0)
