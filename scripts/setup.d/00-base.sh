# Base tools: the .NET 10 SDK (not packaged by Debian 12: it must already be on PATH) and the basics scripts use.
command -v dotnet >/dev/null || hp_die "the .NET 10 SDK is required (dotnet not on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian"
dotnet_major="$(dotnet --version | cut -d. -f1)"
[ "$dotnet_major" -ge 10 ] || hp_die "the .NET 10 SDK is required; found $(dotnet --version)"
hp_apt ca-certificates python3 tar gzip
# A font for the labels of annotated images (SkiaSharp reads /usr/share/fonts; without a font, labels are not drawn).
hp_apt fonts-dejavu-core
