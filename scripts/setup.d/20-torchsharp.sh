# TorchSharp on Debian 12: its libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13's libstdc++) for a symbol it never
# calls, and Debian 12's libstdc++ stops at 3.4.30, so the loader refuses it. eng/TorchSharpFix marks that one
# version reference weak (VER_FLG_WEAK) in the NuGet cache's copy, which every build copies, and in any copy already
# under artifacts/. Idempotent; a no-op on systems whose libstdc++ has the version. See docs/native-loading.md.
hp_tsf_hash="$(hp_sources_hash "$HP_ROOT"/eng/TorchSharpFix/* "$HP_ROOT"/src/HandPose.Torch/TorchSharpNativeFix.cs \
  "$HP_ROOT"/src/HandPose.Torch/Internal/ElfVersionTable.cs "$HP_ROOT"/Directory.Packages.props)"
hp_tsf_out="$HP_CACHE/tools/torchsharp-fix"
if [ "$(cat "$hp_tsf_out/.sources-sha256" 2>/dev/null)" != "$hp_tsf_hash" ]; then
  hp_log "building eng/TorchSharpFix (restores TorchSharp into the NuGet cache)"
  rm -rf "$hp_tsf_out"
  dotnet build "$HP_ROOT/eng/TorchSharpFix/TorchSharpFix.csproj" -c Release -nologo -v quiet -o "$hp_tsf_out" >&2 \
    || hp_die "eng/TorchSharpFix did not build"
  echo "$hp_tsf_hash" > "$hp_tsf_out/.sources-sha256"
fi
hp_tsf_nuget="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
dotnet "$hp_tsf_out/TorchSharpFix.dll" "$hp_tsf_nuget/torchsharp" "$HP_ROOT/artifacts" "$hp_tsf_out" | sed 's/^/[setup] torchsharp /' >&2 \
  || hp_die "the TorchSharp libstdc++ fix failed"
unset hp_tsf_hash hp_tsf_out hp_tsf_nuget
