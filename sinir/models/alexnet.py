"""AlexNet (Krizhevsky, Sutskever and Hinton, 2012), in torchvision's form and layer names."""
from .. import nn


class AlexNet(nn.Module):
    """Five convolutions (ReLU, max-pooling) and three fully connected layers with dropout.

    61,100,840 parameters at 1000 classes. ``small_input=True`` (for 28x28 or 32x32 images)
    makes the first convolution 3x3 with stride 1 instead of 11x11 with stride 4, so that the
    three poolings still have something to pool.
    """

    def __init__(self, num_classes=1000, in_channels=3, dropout=0.5, small_input=False):
        super().__init__()
        first = (nn.Conv2d(in_channels, 64, 3, stride=1, padding=1) if small_input
                 else nn.Conv2d(in_channels, 64, 11, stride=4, padding=2))
        self.features = nn.Sequential(
            first, nn.ReLU(), nn.MaxPool2d(3, stride=2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, stride=2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(),
            nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


def alexnet(num_classes=1000, in_channels=3, **kwargs):
    return AlexNet(num_classes, in_channels, **kwargs)
