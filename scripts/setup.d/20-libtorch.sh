# libtorch (Debian's 1.13.1, CPU) and our C++ shim over it (src/HandPose.Torch/native), built into
# $HP_CACHE/native/torch/ only when the shim's sources (or the libtorch version) changed.
# Another libtorch (e.g. a CUDA build): set HANDPOSE_LIBTORCH_PREFIX=/path/to/libtorch before running setup; it is
# passed to CMake as CMAKE_PREFIX_PATH (see src/HandPose.Torch/native/CMakeLists.txt).
hp_apt libtorch-dev
command -v cmake >/dev/null || hp_apt cmake
command -v g++ >/dev/null || hp_apt g++ make

hp_torch_src="$HP_ROOT/src/HandPose.Torch/native"
hp_torch_out="$HP_CACHE/native/torch"
hp_torch_hash="$(hp_sources_hash "$hp_torch_src"/CMakeLists.txt "$hp_torch_src"/*.cpp "$hp_torch_src"/*.h \
  <(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null; echo "${HANDPOSE_LIBTORCH_PREFIX:-}"))"
if [ -f "$hp_torch_out/libhandpose_torch.so" ] && [ "$(cat "$hp_torch_out/.sources-sha256" 2>/dev/null)" = "$hp_torch_hash" ]; then
  :
else
  hp_log "building the libtorch shim (one translation unit, about 20 s)"
  hp_torch_build="$HP_CACHE/build/torch-shim"
  mkdir -p "$hp_torch_build" "$hp_torch_out"
  cmake -S "$hp_torch_src" -B "$hp_torch_build" -DCMAKE_BUILD_TYPE=Release \
    ${HANDPOSE_LIBTORCH_PREFIX:+-DCMAKE_PREFIX_PATH="$HANDPOSE_LIBTORCH_PREFIX"} >/dev/null
  cmake --build "$hp_torch_build" -j 1 >/dev/null
  cp "$hp_torch_build/libhandpose_torch.so" "$hp_torch_out/libhandpose_torch.so"
  echo "$hp_torch_hash" > "$hp_torch_out/.sources-sha256"
fi
unset hp_torch_src hp_torch_out hp_torch_hash hp_torch_build
