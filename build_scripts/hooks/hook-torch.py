"""Atelier's PyInstaller hook for torch: the contributed hook, minus torch's tests, headers and build files.

The contributed hook (pyinstaller-hooks-contrib) collects every file in the torch package. Among
them are the C++ test programs in torch/bin/test_*, whose library search path lacks ../lib, so
PyInstaller goes looking for libtorch.so on the system and may copy a foreign one with all its
dependencies. Those programs, torch/test, torch/include, torch/share and the test libraries in
torch/lib are never used by a running app. torch/bin/torch_shm_manager is kept: `import torch`
fails in the bundle without it.
"""

from PyInstaller import compat
from PyInstaller.utils.hooks import PY_DYLIB_PATTERNS, collect_data_files, collect_dynamic_libs, collect_submodules

# torch reads its own Python sources at run time: its config modules (torch._export.config, imported by
# `import torch`) call inspect.getsource, and TorchScript needs them. Keep every .py beside the compiled
# modules. (Leaving out the sources of torch._inductor/_dynamo/onnx, 19 MB, broke `import torch`.)
module_collection_mode = "pyz+py"
warn_on_missing_hiddenimports = False

UNUSED = [
    "bin/*",  # test programs, protoc and test models; torch_shm_manager is added back below
    "test/**",
    "include/**",
    "share/**",
    "testing/_internal/**",
    "lib/libaoti_custom_ops.so",
    "lib/libbackend_with_compiler.so",
    "lib/libjitbackend_test.so",
    "lib/libtorchbind_test.so",
    "**/*.h",
    "**/*.hpp",
    "**/*.cuh",
    "**/*.lib",
    "**/*.cpp",
    "**/*.pyi",
    "**/*.cmake",
]

datas = collect_data_files("torch", excludes=UNUSED)
binaries = collect_dynamic_libs("torch", search_patterns=PY_DYLIB_PATTERNS + ["*.so.*"])
binaries = [(source, dest) for source, dest in binaries if not any(source.endswith(name.split("/")[-1]) for name in UNUSED if name.startswith("lib/"))]
binaries += [(path, "torch/bin") for path, _ in collect_data_files("torch", includes=["bin/torch_shm_manager"])]

# Test-only and tooling subpackages: never imported by the app, and they pull optional dependencies.
hiddenimports = collect_submodules(
    "torch",
    filter=lambda name: not name.startswith(("torch.testing._internal", "torch.utils.tensorboard", "torch.utils.benchmark")),
)

if compat.is_linux:
    # Symlinks from the top folder to torch/lib confuse torch's search for its own libraries.
    bindepend_symlink_suppression = ["**/torch/lib/*.so*"]

    # CUDA builds from PyPI take their CUDA libraries from nvidia-* packages: collect those packages
    # (as the contributed hook does). A CPU build requires none, and this adds nothing.
    def _nvidia_hiddenimports() -> list:
        import packaging.requirements
        from _pyinstaller_hooks_contrib.compat import importlib_metadata
        from _pyinstaller_hooks_contrib.utils import nvidia_cuda

        requirements = [packaging.requirements.Requirement(r) for r in importlib_metadata.distribution("torch").requires or []]
        names = [r.name for r in requirements if r.marker is None or r.marker.evaluate()]
        return nvidia_cuda.infer_hiddenimports_from_requirements(names)

    hiddenimports += _nvidia_hiddenimports()
