"""GoogLeNet / Inception v1 (Szegedy et al., 2014), in torchvision's form and layer names.

Each Inception block runs 1x1, 3x3 and 5x5-style convolutions and a max-pooling side by side and
concatenates their outputs along the channels; two auxiliary classifiers in the middle of the
network (the lecture's "FC layers in the intermediate layers") help the gradient in training.

With ``aux_logits=True`` the model in training returns ``GoogLeNetOutputs(logits, aux_logits2,
aux_logits1)``, as torchvision's does; ``AuxiliaryLoss`` turns that into one loss, the paper's
main loss + 0.3 x each auxiliary loss (like Chainer's ``Classifier``, the loss wraps the model's
extra outputs so that the training loop knows nothing about them):

>>> model = googlenet(num_classes=10, in_channels=1, aux_logits=True)
>>> fit(model, loader, AuxiliaryLoss(nn.CrossEntropyLoss()), optimizer)
"""
from collections import namedtuple

import numpy as np

from .. import nn
from ..functions import concatenate
from ..nn import functional as F
from ..nn import init


GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])


class AuxiliaryLoss(nn.Module):
    """``loss_fn`` on the main logits plus ``aux_weight`` x ``loss_fn`` on each auxiliary output.

    Takes GoogLeNetOutputs (training with aux_logits) or plain logits (evaluation): then it is
    ``loss_fn`` itself.
    """

    def __init__(self, loss_fn, aux_weight=0.3):
        super().__init__()
        self.loss_fn, self.aux_weight = loss_fn, float(aux_weight)

    def forward(self, output, target):
        if not isinstance(output, tuple):
            return self.loss_fn(output, target)
        logits, *auxiliary = output
        loss = self.loss_fn(logits, target)
        for aux_output in auxiliary:
            if aux_output is not None:
                loss = loss + self.aux_weight * self.loss_fn(aux_output, target)
        return loss

    def extra_repr(self):
        return f"aux_weight={self.aux_weight}"


class BasicConv2d(nn.Module):
    """Convolution (no bias) + batch norm + ReLU."""

    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return self.bn(self.conv(x)).relu()


class Inception(nn.Module):
    """Four branches side by side, concatenated: 1x1 | 1x1-3x3 | 1x1-3x3 | maxpool-1x1.

    (torchvision's third branch uses a 3x3 where the paper has 5x5; kept for weight compatibility.)
    """

    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(BasicConv2d(in_channels, ch3x3red, kernel_size=1),
                                     BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1))
        self.branch3 = nn.Sequential(BasicConv2d(in_channels, ch5x5red, kernel_size=1),
                                     BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True),
                                     BasicConv2d(in_channels, pool_proj, kernel_size=1))

    def forward(self, x):
        return concatenate([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], axis=1)


class InceptionAux(nn.Module):
    """An auxiliary classifier: pool to 4x4, 1x1 conv to 128 channels, 1024 units, classes."""

    def __init__(self, in_channels, num_classes, dropout=0.7):
        super().__init__()
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(2048, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        x = self.conv(F.adaptive_avg_pool2d(x, (4, 4))).flatten(1)
        return self.fc2(self.dropout(self.fc1(x).relu()))


class GoogLeNet(nn.Module):
    """Inception v1: 6,624,904 parameters at 1000 classes without the auxiliary classifiers.

    ``forward`` returns the logits; in training with ``aux_logits=True`` it returns
    GoogLeNetOutputs(logits, aux_logits2, aux_logits1) as torchvision does (train it with
    ``AuxiliaryLoss``). ``forward_with_aux`` always returns (logits, aux1, aux2), the auxiliary
    outputs being None in evaluation.
    """

    def __init__(self, num_classes=1000, in_channels=3, aux_logits=False, dropout=0.2, aux_dropout=0.7):
        super().__init__()
        self.aux_logits = aux_logits
        self.conv1 = BasicConv2d(in_channels, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)
        self.aux1 = InceptionAux(512, num_classes, aux_dropout) if aux_logits else None
        self.aux2 = InceptionAux(528, num_classes, aux_dropout) if aux_logits else None
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(1024, num_classes)
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                init.normal_(module.weight, 0.0, 0.01)
                weight = module.weight.numpy()                                   # shares the memory
                np.clip(weight, -0.02, 0.02, out=weight)                         # truncated at 2 std
                if module.bias is not None:
                    init.zeros_(module.bias)

    def forward_with_aux(self, x):
        """(logits, aux1, aux2); the auxiliary logits only in training with aux_logits, else None."""
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        logits = self.fc(self.dropout(self.avgpool(x).flatten(1)))
        return logits, aux1, aux2

    def forward(self, x):
        logits, aux1, aux2 = self.forward_with_aux(x)
        if self.training and self.aux_logits:
            return GoogLeNetOutputs(logits, aux2, aux1)
        return logits


def googlenet(num_classes=1000, in_channels=3, aux_logits=False, **kwargs):
    return GoogLeNet(num_classes, in_channels, aux_logits, **kwargs)
