# Reference tooling used only by tests and benchmarks (never by the library): PyTorch/torchvision/ONNX for parity
# references, Pillow + libjpeg-turbo's djpeg/cjpeg for image-decoder parity.
hp_apt python3-numpy python3-torch python3-torchvision python3-onnx python3-pil libjpeg-turbo-progs
