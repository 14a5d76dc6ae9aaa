"""Datasets: MNIST and Fashion-MNIST (IDX files), and image transforms."""
from .idx import DatasetError, read_idx, parse_idx, write_idx
from .mnist import MNIST, FashionMNIST, download, cache_dir
from .transforms import Compose, ToTensor, Normalize, Flatten, OneHot
