"""PTG-RM: the refinement module of "Boosting Image Restoration via Priors from Pre-trained Models"
(Xu et al., CVPR 2024, arXiv 2403.06793), block for block as the authors' reference code builds it (class
`refinement2`: 671,735 parameters with a 512-d prior), written here from its description.

refined = clamp(base, 0, 1) + residual(base, degraded, osf, position), where osf is a global feature vector of the
degraded image from a frozen pretrained encoder (its width follows the encoder) and position the (row, column)
coordinates of each pixel. Three deliberate differences from the reference:
- position is the pixel's place in the whole photo, in [-1, 1] (`position_map`), given as an input: the reference
  spans [-1, 1] over whatever it is fed, a 128-px patch in training and the whole image in testing; a tiled
  endpoint would give it a third meaning (the tile). Without the input the reference's behaviour is kept.
- the last convolution starts at zero, so an untrained module returns the base result unchanged (the best
  checkpoint on validation may then be the identity, and is never worse than the base there);
- the OSF vector is scaled to unit RMS before the prior MLPs (`unit_rms`): no parameters, see there why.

`PTGRMReduced` is the smaller module this project served before (210,661 parameters at a 512-d prior): kept as a
named variant so that the two can be compared on the same data.
"""
import torch
import torch.nn.functional as F
from torch import nn

SLOPE = 0.1  # the reference's LeakyReLU slope


class LayerNorm2d(nn.Module):
    """LayerNorm over channels at every pixel (Restormer's "WithBias" norm)."""

    def __init__(self, channels: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        var = ((x - mean) ** 2).mean(1, keepdim=True)
        return (x - mean) / torch.sqrt(var + 1e-5) * self.weight[:, None, None] + self.bias[:, None, None]


class TransposedAttention(nn.Module):
    """Restormer's multi-Dconv head transposed attention: attention across channels, linear in pixels."""

    def __init__(self, channels: int, heads: int, bias: bool = True):
        super().__init__()
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = nn.Conv2d(channels, channels * 3, 1, bias=bias)
        self.qkv_dw = nn.Conv2d(channels * 3, channels * 3, 3, padding=1, groups=channels * 3, bias=bias)
        self.project = nn.Conv2d(channels, channels, 1, bias=bias)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv_dw(self.qkv(x)).chunk(3, dim=1)
        q, k, v = (t.reshape(b, self.heads, c // self.heads, h * w) for t in (q, k, v))
        q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)
        attention = ((q @ k.transpose(-2, -1)) * self.temperature).softmax(dim=-1)
        return self.project((attention @ v).reshape(b, c, h, w))


class GatedFeedForward(nn.Module):
    """Restormer's gated-Dconv feed-forward network."""

    def __init__(self, channels: int, expansion: float = 2.66, bias: bool = True):
        super().__init__()
        hidden = int(channels * expansion)
        self.project_in = nn.Conv2d(channels, hidden * 2, 1, bias=bias)
        self.dw = nn.Conv2d(hidden * 2, hidden * 2, 3, padding=1, groups=hidden * 2, bias=bias)
        self.project_out = nn.Conv2d(hidden, channels, 1, bias=bias)

    def forward(self, x):
        x1, x2 = self.dw(self.project_in(x)).chunk(2, dim=1)
        return self.project_out(F.gelu(x1) * x2)


class TransformerBlock(nn.Module):
    def __init__(self, channels: int, heads: int, bias: bool = True):
        super().__init__()
        self.norm1, self.attention = LayerNorm2d(channels), TransposedAttention(channels, heads, bias)
        self.norm2, self.feed_forward = LayerNorm2d(channels), GatedFeedForward(channels, bias=bias)

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.feed_forward(self.norm2(x))


def position_map(top: int, left: int, height: int, width: int, image_height: int, image_width: int) -> torch.Tensor:
    """(2, height, width): row and column of each pixel centre of the window at (top, left), in [-1, 1] over the
    whole image. The endpoint computes the same for each tile (endpoint/src/refinerPosition.ts)."""
    rows = (torch.arange(top, top + height, dtype=torch.float32) + 0.5) * (2 / image_height) - 1
    cols = (torch.arange(left, left + width, dtype=torch.float32) + 0.5) * (2 / image_width) - 1
    return torch.stack([rows[:, None].expand(height, width), cols[None, :].expand(height, width)])


def span_grid(height: int, width: int) -> torch.Tensor:
    """(2, height, width): row and column from -1 to 1 across the input (the reference's coordinates)."""
    rows = torch.linspace(-1.0, 1.0, height)[:, None].expand(height, width)
    cols = torch.linspace(-1.0, 1.0, width)[None, :].expand(height, width)
    return torch.stack([rows, cols])


def per_pixel_filter(features, kernels):
    """Filters every channel of every pixel with its own 3x3 kernel (the reference's kernel2d_conv): kernels has
    9 values per channel, channel-major, row-major taps; edges are replicated. Nine shifted products export to
    plain ONNX ops, unlike unfold."""
    b, c, h, w = features.shape
    taps = kernels.reshape(b, c, 9, h, w)
    padded = F.pad(features, (1, 1, 1, 1), mode="replicate")
    return sum(taps[:, :, 3 * i + j] * padded[:, :, i : i + h, j : j + w] for i in range(3) for j in range(3))


def prior_hidden_width(osf_dim: int) -> int:
    """256 for the reference's 512-d CLIP prior. Wider encoders (MobileNetV2 1280, InceptionV3 2048) get a
    narrower hidden layer with the same number of first-layer weights, so the module keeps the reference's size
    (two 2048→256 layers alone would be 1M parameters, the whole budget)."""
    return min(256, (512 * 256) // osf_dim)


def unit_rms(osf):
    """The OSF vector scaled to a root mean square of 1 per dimension (zeros stay zeros). The encoders here give
    small vectors (nsfwjs InceptionV3: 0.011 mean magnitude), with which, at the reference's initialisation, the
    prior moved the features by ~0.04 and a prior run and its zero-prior twin were the same to 0.001 dB after 250
    steps; this way the prior starts at the scale of the features it is concatenated with, whatever the encoder."""
    return osf * torch.rsqrt(osf.pow(2).mean(dim=1, keepdim=True) + 1e-12)


class PriorMLP(nn.Sequential):
    """T_m or T_c: the OSF vector mapped to the module's 64-wide prior. Bias-free, as in the reference, so that a
    zero OSF (the zero-prior twin) gives a zero prior."""

    def __init__(self, osf_dim: int, prior_dim: int):
        hidden = prior_hidden_width(osf_dim)
        super().__init__(nn.Linear(osf_dim, hidden, bias=False), nn.LeakyReLU(SLOPE), nn.Linear(hidden, prior_dim, bias=False))

    def forward(self, osf):
        return super().forward(unit_rms(osf))


class PositionEmbedding(nn.Sequential):
    """conv3(2→16), LeakyReLU, conv1(16→16) on the coordinate maps."""

    def __init__(self, channels: int):
        super().__init__(nn.Conv2d(2, channels, 3, padding=1, bias=False), nn.LeakyReLU(SLOPE), nn.Conv2d(channels, channels, 1, bias=False))


class ResidualBlock(nn.Module):
    """Short range of PTG-SVE: conv3, ReLU, conv3, plus the input."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x)))


class PTGRM(nn.Module):
    def __init__(self, osf_dim: int = 512, channels: int = 16, blocks: int = 4, prior_dim: int = 64, instance_norm: bool = True):
        super().__init__()
        c = channels
        conv3 = lambda cin, cout, stride=1: nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        # Encoder on concat(base, degraded) down to 1/4 resolution. `instance_norm=False` (the "paper-no-norm"
        # ablation) keeps each tile's absolute brightness, which InstanceNorm normalises away.
        norm = (lambda: nn.InstanceNorm2d(c, affine=True)) if instance_norm else nn.Identity
        self.encoder = nn.Sequential(conv3(6, c), norm(), nn.LeakyReLU(SLOPE), conv3(c, c, 2), norm(), conv3(c, c, 2))
        # PTG-SVE: short range (a residual conv block) and long range (Restormer blocks, one head, bias-free), mixed
        # per pixel by R_m from [features, T_m(prior), position embedding].
        self.prior_mix = PriorMLP(osf_dim, prior_dim)
        self.position_mix = PositionEmbedding(c)
        self.mix = nn.Sequential(conv3(c + prior_dim + c, c), nn.LeakyReLU(SLOPE), conv3(c, 1))
        self.short_range = ResidualBlock(c)
        self.long_range = nn.Sequential(*[TransformerBlock(c, heads=1, bias=False) for _ in range(blocks)])
        # PTG-CSA: channel attention from [pooled features, T_c(prior)]; spatial attention from per-pixel, per-channel
        # 3x3 kernels predicted from [features, T_c(prior), position embedding], then a one-channel gate.
        self.prior_attention = PriorMLP(osf_dim, prior_dim)
        self.position_attention = PositionEmbedding(c)
        self.channel_attention = nn.Sequential(nn.Linear(c + prior_dim, c, bias=False), nn.LeakyReLU(SLOPE), nn.Linear(c, c, bias=False))
        self.kernels = nn.Sequential(conv3(c + prior_dim + c, 9 * c), nn.LeakyReLU(SLOPE), conv3(9 * c, 9 * c))
        self.spatial_gate = conv3(c, 1)
        self.fuse = nn.Conv2d(2 * c, c, 1, bias=False)
        # Decoder: two (conv → PixelShuffle x2 → LeakyReLU) stages, conv3(16→16), LeakyReLU, the 3-channel residual.
        self.decoder = nn.Sequential(
            conv3(c, 4 * c), nn.PixelShuffle(2), nn.LeakyReLU(SLOPE),
            conv3(c, 4 * c), nn.PixelShuffle(2), nn.LeakyReLU(SLOPE),
            nn.Conv2d(c, c, 3, padding=1), nn.LeakyReLU(SLOPE),
        )
        self.to_residual = nn.Conv2d(c, 3, 3, padding=1)
        nn.init.zeros_(self.to_residual.weight)
        nn.init.zeros_(self.to_residual.bias)

    def forward(self, base, degraded, osf, position=None):
        """base, degraded: (B, 3, H, W) in [0, 1], H and W multiples of 4; osf: (B, osf_dim); position: (B, 2, H, W)
        from `position_map`, or None for [-1, 1] across the input (the reference's convention)."""
        f = self.encoder(torch.cat([base, degraded], dim=1))
        b, c, h, w = f.shape
        if position is None:
            grid = span_grid(h, w).to(f)[None].expand(b, -1, -1, -1)
        else:
            grid = F.avg_pool2d(position, 4)  # the mean of a ramp over 4x4 pixels: the coordinate of the cell's centre
        broadcast = lambda v: v[:, :, None, None].expand(-1, -1, h, w)

        prior = self.prior_mix(osf)
        m = torch.sigmoid(self.mix(torch.cat([f, broadcast(prior), self.position_mix(grid)], dim=1)))
        f = self.long_range(f) * m + self.short_range(f) * (1 - m)

        prior = self.prior_attention(osf)
        channel = f * torch.sigmoid(self.channel_attention(torch.cat([f.mean(dim=(2, 3)), prior], dim=1)))[:, :, None, None]
        kernels = self.kernels(torch.cat([f, broadcast(prior), self.position_attention(grid)], dim=1))
        spatial = f * torch.sigmoid(self.spatial_gate(F.leaky_relu(per_pixel_filter(f, kernels), SLOPE)))
        f = f + self.fuse(torch.cat([channel, spatial], dim=1))

        return base.clamp(0.0, 1.0) + self.to_residual(self.decoder(f))


class PTGRMReduced(nn.Module):
    """The module served before the paper's was built (no InstanceNorm, one prior MLP, raw coordinates, spatial
    attention from the features alone, no 16→16 decoder conv): a measured variant."""

    def __init__(self, osf_dim: int = 512, channels: int = 16, heads: int = 2, blocks: int = 4, prior_dim: int = 64):
        super().__init__()
        c = channels
        conv_act = lambda cin, cout, stride=1: nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.LeakyReLU(0.2))
        self.encoder = nn.Sequential(conv_act(6, c), conv_act(c, c, 2), conv_act(c, c, 2))
        self.osf_mlp = nn.Sequential(nn.Linear(osf_dim, 256), nn.LeakyReLU(0.2), nn.Linear(256, prior_dim))
        self.short_range = nn.Sequential(conv_act(c, c), nn.Conv2d(c, c, 3, padding=1))
        self.long_range = nn.Sequential(*[TransformerBlock(c, heads) for _ in range(blocks)])
        self.mix = nn.Sequential(conv_act(c + prior_dim + 2, c), nn.Conv2d(c, 1, 3, padding=1))
        self.channel_attention = nn.Sequential(nn.Linear(c + prior_dim, c), nn.LeakyReLU(0.2), nn.Linear(c, c))
        self.kernels = nn.Conv2d(c, 9, 3, padding=1)
        self.fuse = nn.Conv2d(2 * c, c, 1)
        self.decoder = nn.Sequential(
            nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.2),
            nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.2),
        )
        self.to_residual = nn.Conv2d(c, 3, 3, padding=1)
        nn.init.zeros_(self.to_residual.weight)
        nn.init.zeros_(self.to_residual.bias)

    def forward(self, base, degraded, osf, position=None):
        """As PTGRM.forward; `position` is ignored (coordinates span [-1, 1] across the input)."""
        f = self.encoder(torch.cat([base, degraded], dim=1))
        b, c, h, w = f.shape
        prior = self.osf_mlp(osf)
        prior_map = prior[:, :, None, None].expand(-1, -1, h, w)
        coords = span_grid(h, w).to(f)[None].expand(b, -1, -1, -1)

        short = f + self.short_range(f)
        long = self.long_range(f)
        m = torch.sigmoid(self.mix(torch.cat([f, prior_map, coords], dim=1)))
        f = m * long + (1 - m) * short

        weights = torch.sigmoid(self.channel_attention(torch.cat([f.mean(dim=(2, 3)), prior], dim=1)))
        # One 3x3 kernel per pixel, shared by every channel.
        spatial = per_pixel_filter(f, self.kernels(f).softmax(dim=1).repeat(1, c, 1, 1))
        f = f + self.fuse(torch.cat([f * weights[:, :, None, None], spatial], dim=1))

        return base.clamp(0.0, 1.0) + self.to_residual(self.decoder(f))


ARCHITECTURES = {"paper": PTGRM, "paper-no-norm": lambda **kw: PTGRM(instance_norm=False, **kw), "reduced": PTGRMReduced}


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
