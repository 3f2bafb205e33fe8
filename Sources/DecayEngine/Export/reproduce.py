# Written by `decay-tutor export`; replaced by the full PyTorch reproduction.
