"""hmmlearn's side of bench/hmmlearn-compare.js (issue 19): fits hmmlearn from the task's
starting parameters and prints CPU time per fit as one JSON line. For measurement only:
hmmlearn is no dependency of the package and nothing in `npm test` needs it.

    /usr/bin/python3 bench/hmmlearn_compare.py <task.json>
    (bench/hmmlearn-compare.js writes the task and runs this; alone it is of little use)

The task file (written by the JS side): {"kind": "categorical" | "gmm" | "gaussian" |
"poisson", "nStates", "nMix", "nFeatures", "lengths", "xFile" (float64 frames, row-major,
little-endian), "iterations", "rounds", "implementations" (hmmlearn's "log" / "scaling"),
"checkOneIteration", "profile", "start": {startprob, transmat, emissionprob | weights, means, covars | lambdas},
"gaussianCovarsPrior"}. Output: one JSON line {"hmmlearn": version, "results": [...]}, or
a line starting "skipped:" (exit code 0) when hmmlearn cannot be imported.

Getting hmmlearn 0.3.3 without PyPI (what was done on the development machine, Debian 12,
whose /usr/bin/python3 has numpy 1.24; not the pyenv python3 on PATH):
    apt-get install -y python3-scipy python3-sklearn python3-pybind11
    git clone https://github.com/hmmlearn/hmmlearn && cd hmmlearn && git checkout 0.3.3
    g++ -O3 -shared -fPIC -std=c++11 $(/usr/bin/python3 -m pybind11 --includes) \\
        ext/_hmmc.cpp -o src/hmmlearn/_hmmc$(/usr/bin/python3-config --extension-suffix)
    # hmmlearn reads its version from the package metadata (setuptools_scm writes no
    # _version.py in 0.3.3): a minimal dist-info makes hmmlearn.__version__ say 0.3.3
    mkdir -p src/hmmlearn-0.3.3.dist-info
    printf 'Metadata-Version: 2.1\\nName: hmmlearn\\nVersion: 0.3.3\\n' \\
        > src/hmmlearn-0.3.3.dist-info/METADATA
    export GMMHMM_HMMLEARN_PYTHONPATH=$PWD/src   # bench/hmmlearn-compare.js passes it on
"""

import cProfile
import io
import json
import math
import pstats
import sys
import time

try:
    import numpy as np
    import hmmlearn
    from hmmlearn import hmm
except ImportError as error:  # the bench then reports gmmhmm alone
    print(f"skipped: hmmlearn cannot be imported by {sys.executable} ({error})")
    sys.exit(0)


def model(task, implementation):
    """An hmmlearn model of the task's family with its starting parameters set and nothing
    initialised from the data (init_params ''), every parameter trained, no early stop."""
    common = dict(n_components=task["nStates"], n_iter=task["iterations"], tol=-math.inf,
                  init_params="", implementation=implementation)
    start = {name: np.asarray(value, dtype=float) for name, value in task["start"].items()}
    kind = task["kind"]
    if kind == "categorical":
        m = hmm.CategoricalHMM(n_features=task["nFeatures"], params="ste", **common)
        m.emissionprob_ = start["emissionprob"]
    elif kind == "gmm":
        m = hmm.GMMHMM(n_mix=task["nMix"], covariance_type="diag", params="stmcw", **common)
        m.weights_ = start["weights"]
        m.means_ = start["means"]
        m.covars_ = start["covars"]
    elif kind == "gaussian":
        # covars_prior / covars_weight as given (hmmlearn's defaults 1e-2 / 1): variance =
        # (covars_prior + scatter around the new means) / n, gmmhmm's covarsPrior form.
        m = hmm.GaussianHMM(covariance_type="diag", params="stmc",
                            covars_prior=task["gaussianCovarsPrior"], covars_weight=1, **common)
        m.means_ = start["means"]
        m.covars_ = start["covars"]
    elif kind == "poisson":
        m = hmm.PoissonHMM(params="stl", **common)
        m.lambdas_ = start["lambdas"]
    else:
        raise ValueError(f"unknown kind {kind!r}")
    m.startprob_ = start["startprob"]
    m.transmat_ = start["transmat"]
    return m


def main():
    with open(sys.argv[1]) as f:
        task = json.load(f)
    X = np.fromfile(task["xFile"], dtype="<f8").reshape(-1, task["nFeatures"] if task["kind"] != "categorical" else 1)
    if task["kind"] in ("categorical", "poisson"):
        X = X.astype(np.int64)
    lengths = np.asarray(task["lengths"], dtype=int)
    results = []
    for implementation in task["implementations"]:
        best = math.inf
        for _ in range(task["rounds"]):
            m = model(task, implementation)
            profile = cProfile.Profile(time.process_time) if task.get("profile") else None  # CPU time, as the bench
            t0 = time.process_time()
            if profile:
                profile.enable()
            m.fit(X, lengths)
            if profile:
                profile.disable()
            best = min(best, time.process_time() - t0)
            if profile:  # where hmmlearn's time goes (the time above then includes cProfile's)
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
                print(f"cProfile of hmmlearn {task['kind']} {implementation}:{out.getvalue()}", file=sys.stderr)
            if m.monitor_.iter != task["iterations"]:
                raise RuntimeError(f"hmmlearn ran {m.monitor_.iter} iterations")
        one = None
        if task.get("checkOneIteration"):
            # one EM step from the start, where the M-steps' forms differ most (a fit of 10
            # iterations may end at a common fixed point)
            m1 = model(task, implementation)
            m1.n_iter = 1
            m1.fit(X, lengths)
            one = float(m1.score(X, lengths))
        results.append({
            "scoreAfterOne": one,
            "implementation": implementation,
            "cpuSeconds": best,
            # the log-likelihood of the last E-step (before the last M-step), and the score
            # of the fitted parameters
            "lastLogLikelihood": float(m.monitor_.history[-1]),
            "score": float(m.score(X, lengths)),
        })
    print(json.dumps({"hmmlearn": hmmlearn.__version__, "numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main()
