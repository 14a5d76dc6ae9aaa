"""Datasets, samplers and the DataLoader that batches them, as torch.utils.data."""
from .dataset import Dataset, TensorDataset, Subset, ConcatDataset, random_split
from .sampler import (Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler,
                      BatchSampler)
from .collate import default_collate, default_convert
from .worker import get_worker_info
from .dataloader import DataLoader
from ..distributed.sampler import DistributedSampler  # the sampler that shards a dataset across MPI ranks
