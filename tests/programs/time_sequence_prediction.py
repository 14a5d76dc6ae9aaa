"""pytorch/examples time_sequence_prediction (generate_sine_wave.py + train.py), small version:
two LSTMCells learn sine waves with L-BFGS, then predict the waves' future.

Changed from PyTorch's example: the imports (sinir in place of torch); the data is made in
memory instead of traindata.pt; the sizes are arguments (the original: 100 waves of 1,000
points, 15 steps, 1,000 predicted points, a PDF plot per step; plots are left out); ``main``
returns the losses.

    python tests/programs/time_sequence_prediction.py --steps 3
"""
import argparse

import numpy as np

import sinir as torch
import sinir.nn as nn
import sinir.optim as optim


def generate_sine_wave(T=20, L=1000, N=100):
    """generate_sine_wave.py: N sine waves of period 2 pi T, L points each, randomly shifted."""
    np.random.seed(2)
    x = np.empty((N, L), 'int64')
    x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
    data = np.sin(x / 1.0 / T).astype('float64')
    return data


class Sequence(nn.Module):
    def __init__(self):
        super(Sequence, self).__init__()
        self.lstm1 = nn.LSTMCell(1, 51)
        self.lstm2 = nn.LSTMCell(51, 51)
        self.linear = nn.Linear(51, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), 51, dtype=torch.double)
        c_t = torch.zeros(input.size(0), 51, dtype=torch.double)
        h_t2 = torch.zeros(input.size(0), 51, dtype=torch.double)
        c_t2 = torch.zeros(input.size(0), 51, dtype=torch.double)

        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for i in range(future):  # if we should predict the future
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        outputs = torch.cat(outputs, dim=1)
        return outputs


def main(steps=15, length=1000, waves=100, future=1000, initial_state=None, quiet=False):
    """train.py's main block; returns the training losses the closures saw, step by step, and
    the test loss after each step. ``initial_state`` replaces the random initial weights."""
    # set random seed to 0
    np.random.seed(0)
    torch.manual_seed(0)
    # load data and make training set
    data = generate_sine_wave(L=length, N=waves)
    input = torch.from_numpy(data[3:, :-1])
    target = torch.from_numpy(data[3:, 1:])
    test_input = torch.from_numpy(data[:3, :-1])
    test_target = torch.from_numpy(data[:3, 1:])
    # build the model
    seq = Sequence()
    seq.double()
    if initial_state is not None:
        seq.load_state_dict(initial_state)
    criterion = nn.MSELoss()
    # use LBFGS as optimizer since we can load the whole data to train
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)
    train_losses, test_losses = [], []
    # begin to train
    for i in range(steps):
        if not quiet:
            print('STEP: ', i)
        step_losses = []

        def closure():
            optimizer.zero_grad()
            out = seq(input)
            loss = criterion(out, target)
            if not quiet:
                print('loss:', loss.item())
            step_losses.append(loss.item())
            loss.backward()
            return loss
        optimizer.step(closure)
        train_losses.append(step_losses)
        # begin to predict, no need to track gradient here
        with torch.no_grad():
            pred = seq(test_input, future=future)
            loss = criterion(pred[:, :-future], test_target) if future else criterion(pred, test_target)
            if not quiet:
                print('test loss:', loss.item())
            test_losses.append(loss.item())
    return train_losses, test_losses


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=15, help='steps to run')
    parser.add_argument('--length', type=int, default=1000, help='points per wave')
    parser.add_argument('--waves', type=int, default=100, help='how many waves')
    parser.add_argument('--future', type=int, default=1000, help='points to predict')
    opt = parser.parse_args()
    main(opt.steps, opt.length, opt.waves, opt.future)
