"""micrograd's demo (karpathy/micrograd, demo.ipynb) with tensors: a 2-16-16-1 MLP on the
moons, the SVM max-margin loss, L2 regularisation, plain gradient descent with a decaying
learning rate (``p.data -= learning_rate * p.grad``), written for ``torch`` being sinir or PyTorch.
"""


def demo(torch, X, y, state, steps=100, print=print):
    nn = torch.nn

    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    model.load_state_dict(state)

    def loss():
        Xb, yb = torch.tensor(X), torch.tensor(y)
        scores = model(Xb).squeeze(1)
        # svm "max-margin" loss
        losses = (1 + -yb * scores).relu()
        data_loss = losses.sum() * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p * p).sum() for p in model.parameters())
        total_loss = data_loss + reg_loss
        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    for k in range(steps):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        if k % 10 == 0:
            print(f"step {k} loss {total_loss.data}, accuracy {acc*100}%")
    return model
