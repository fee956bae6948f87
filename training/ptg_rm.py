"""PTG-RM: the refinement module of "Boosting Image Restoration via Priors from Pre-trained Models"
(Xu et al., CVPR 2024, arXiv 2403.06793), as described in ../shared/DESIGN.md and the project's PTG-RM issue.

refined = clamp(base, 0, 1) + residual(base, degraded, osf), where osf is a global feature vector of the degraded
image from a frozen pretrained encoder (its width follows the encoder). The last convolution starts at zero, so
an untrained module returns the base result unchanged.
"""
import torch
import torch.nn.functional as F
from torch import nn


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

    def __init__(self, channels: int, heads: int):
        super().__init__()
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = nn.Conv2d(channels, channels * 3, 1)
        self.qkv_dw = nn.Conv2d(channels * 3, channels * 3, 3, padding=1, groups=channels * 3)
        self.project = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv_dw(self.qkv(x)).chunk(3, dim=1)
        q, k, v = (t.reshape(b, self.heads, c // self.heads, h * w) for t in (q, k, v))
        q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)
        attention = ((q @ k.transpose(-2, -1)) * self.temperature).softmax(dim=-1)
        return self.project((attention @ v).reshape(b, c, h, w))


class GatedFeedForward(nn.Module):
    """Restormer's gated-Dconv feed-forward network."""

    def __init__(self, channels: int, expansion: float = 2.66):
        super().__init__()
        hidden = int(channels * expansion)
        self.project_in = nn.Conv2d(channels, hidden * 2, 1)
        self.dw = nn.Conv2d(hidden * 2, hidden * 2, 3, padding=1, groups=hidden * 2)
        self.project_out = nn.Conv2d(hidden, channels, 1)

    def forward(self, x):
        x1, x2 = self.dw(self.project_in(x)).chunk(2, dim=1)
        return self.project_out(F.gelu(x1) * x2)


class TransformerBlock(nn.Module):
    def __init__(self, channels: int, heads: int):
        super().__init__()
        self.norm1, self.attention = LayerNorm2d(channels), TransposedAttention(channels, heads)
        self.norm2, self.feed_forward = LayerNorm2d(channels), GatedFeedForward(channels)

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.feed_forward(self.norm2(x))


def conv_act(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.LeakyReLU(0.2))


class PTGRM(nn.Module):
    def __init__(self, osf_dim: int = 512, channels: int = 16, heads: int = 2, blocks: int = 4, prior_dim: int = 64):
        super().__init__()
        c = channels
        # Encoder on concat(base, degraded) down to 1/4 resolution.
        self.encoder = nn.Sequential(conv_act(6, c), conv_act(c, c, 2), conv_act(c, c, 2))
        # The prior: MLP(OSF) 512 → 256 → 64.
        self.osf_mlp = nn.Sequential(nn.Linear(osf_dim, 256), nn.LeakyReLU(0.2), nn.Linear(256, prior_dim))
        # PTG-SVE: short-range residual conv block and long-range transposed-attention blocks, mixed per pixel by a
        # map predicted from [features, prior, coordinates].
        self.short_range = nn.Sequential(conv_act(c, c), nn.Conv2d(c, c, 3, padding=1))
        self.long_range = nn.Sequential(*[TransformerBlock(c, heads) for _ in range(blocks)])
        self.mix = nn.Sequential(conv_act(c + prior_dim + 2, c), nn.Conv2d(c, 1, 3, padding=1))
        # PTG-CSA: channel attention from [pooled features, prior]; spatial attention from per-pixel 3x3 kernels.
        self.channel_attention = nn.Sequential(nn.Linear(c + prior_dim, c), nn.LeakyReLU(0.2), nn.Linear(c, c))
        self.kernels = nn.Conv2d(c, 9, 3, padding=1)
        self.fuse = nn.Conv2d(2 * c, c, 1)
        # Decoder: two (conv → PixelShuffle x2 → LeakyReLU) stages, then the 3-channel residual.
        self.decoder = nn.Sequential(
            nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.2),
            nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.2),
        )
        self.to_residual = nn.Conv2d(c, 3, 3, padding=1)
        nn.init.zeros_(self.to_residual.weight)
        nn.init.zeros_(self.to_residual.bias)

    def forward(self, base, degraded, osf):
        """base, degraded: (B, 3, H, W) in [0, 1], H and W multiples of 4; osf: (B, osf_dim)."""
        f = self.encoder(torch.cat([base, degraded], dim=1))
        b, c, h, w = f.shape
        prior = self.osf_mlp(osf)
        prior_map = prior[:, :, None, None].expand(-1, -1, h, w)
        ys = torch.linspace(-1.0, 1.0, h, device=f.device, dtype=f.dtype)[:, None].expand(h, w)
        xs = torch.linspace(-1.0, 1.0, w, device=f.device, dtype=f.dtype)[None, :].expand(h, w)
        coords = torch.stack([ys, xs])[None].expand(b, -1, -1, -1)

        short = f + self.short_range(f)
        long = self.long_range(f)
        m = torch.sigmoid(self.mix(torch.cat([f, prior_map, coords], dim=1)))
        f = m * long + (1 - m) * short

        weights = torch.sigmoid(self.channel_attention(torch.cat([f.mean(dim=(2, 3)), prior], dim=1)))
        kernels = self.kernels(f).softmax(dim=1)
        padded = F.pad(f, (1, 1, 1, 1), mode="replicate")
        # Per-pixel 3x3 filtering as nine shifted products (exports to plain ONNX ops, unlike unfold).
        spatial = sum(kernels[:, 3 * i + j : 3 * i + j + 1] * padded[:, :, i : i + h, j : j + w] for i in range(3) for j in range(3))
        f = f + self.fuse(torch.cat([f * weights[:, :, None, None], spatial], dim=1))

        return base.clamp(0.0, 1.0) + self.to_residual(self.decoder(f))


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
