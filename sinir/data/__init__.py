"""Datasets and the DataLoader that batches them."""
from .dataset import Dataset, TensorDataset, Subset, random_split
from .dataloader import DataLoader
