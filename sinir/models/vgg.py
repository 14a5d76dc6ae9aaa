"""VGG (Simonyan and Zisserman, 2014): stacks of 3x3 convolutions, in torchvision's form."""
from .. import nn
from ..nn import init

# numbers are 3x3 convolutions with that many channels, "M" a 2x2 max-pooling
CONFIGS = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


class VGG(nn.Module):
    """Convolution blocks that halve the size and (up to 512) double the channels, then
    7x7x512 = 25,088 features into 4096-4096-classes. VGG-16: 138,357,544 parameters.

    ``small_input=True`` rounds the poolings up (ceil_mode), so that 28x28 images survive all five.
    """

    def __init__(self, depth=16, num_classes=1000, in_channels=3, batch_norm=False, dropout=0.5,
                 small_input=False):
        super().__init__()
        if depth not in CONFIGS:
            raise ValueError(f"VGG: depth must be one of {sorted(CONFIGS)}, got {depth}")
        layers, channels = [], in_channels
        for item in CONFIGS[depth]:
            if item == "M":
                layers.append(nn.MaxPool2d(2, stride=2, ceil_mode=small_input))
                continue
            layers.append(nn.Conv2d(channels, item, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(item))
            layers.append(nn.ReLU())
            channels = item
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(4096, num_classes))
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
                init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                init.normal_(module.weight, 0, 0.01)
                init.zeros_(module.bias)

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


def _vgg(depth, batch_norm):
    def build(num_classes=1000, in_channels=3, **kwargs):
        return VGG(depth, num_classes, in_channels, batch_norm, **kwargs)
    build.__name__ = f"vgg{depth}{'_bn' if batch_norm else ''}"
    build.__doc__ = f"VGG-{depth}{' with batch normalisation' if batch_norm else ''}."
    return build


vgg11, vgg13, vgg16, vgg19 = (_vgg(d, False) for d in (11, 13, 16, 19))
vgg11_bn, vgg13_bn, vgg16_bn, vgg19_bn = (_vgg(d, True) for d in (11, 13, 16, 19))
