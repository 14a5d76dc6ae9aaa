"""The two training programs of PyTorch's "Deep Learning with PyTorch: A 60 Minute Blitz",
written as there, for ``torch`` being sinir or PyTorch: the neural-network page (LeNet on one
32x32 image: parameters, a backward with a given gradient, the manual update, then optim.SGD)
and the CIFAR-10 classifier (a training loop and the per-class accuracy), here on random
images of CIFAR-10's shape. Each returns what the tutorial prints.
"""


def neural_networks(torch, state, input, target, grad_out):
    nn = torch.nn
    F = torch.nn.functional
    optim = torch.optim

    class Net(nn.Module):

        def __init__(self):
            super(Net, self).__init__()
            # 1 input image channel, 6 output channels, 5x5 square convolution kernel
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            # an affine operation: y = Wx + b
            self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            c1 = F.relu(self.conv1(input))
            s2 = F.max_pool2d(c1, (2, 2))
            c3 = F.relu(self.conv2(s2))
            s4 = F.max_pool2d(c3, 2)
            s4 = torch.flatten(s4, 1)
            f5 = F.relu(self.fc1(s4))
            f6 = F.relu(self.fc2(f5))
            output = self.fc3(f6)
            return output

    net = Net().double()
    net.load_state_dict(state)
    printed = {}

    params = list(net.parameters())
    printed["len(params)"] = len(params)
    printed["params[0].size()"] = tuple(params[0].size())

    out = net(input)
    printed["out"] = out.tolist()

    net.zero_grad()
    out.backward(grad_out)

    output = net(input)
    criterion = nn.MSELoss()

    loss = criterion(output, target)
    printed["loss"] = loss.item()
    printed["grad_fn"] = [loss.grad_fn.name(), loss.grad_fn.next_functions[0][0].name()]

    net.zero_grad()     # zeroes the gradient buffers of all parameters
    printed["conv1.bias.grad before backward"] = net.conv1.bias.grad
    loss.backward()
    printed["conv1.bias.grad after backward"] = net.conv1.bias.grad.tolist()

    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)

    # create your optimizer
    optimizer = optim.SGD(net.parameters(), lr=0.01)

    losses = []
    for _ in range(5):
        # in your training loop:
        optimizer.zero_grad()   # zero the gradient buffers
        output = net(input)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()    # Does the update
        losses.append(loss.item())
    printed["losses"] = losses
    return printed


def cifar10(torch, state, trainloader, testloader, epochs=2):
    nn = torch.nn
    F = torch.nn.functional
    optim = torch.optim

    classes = ('plane', 'car', 'bird', 'cat',
               'deer', 'dog', 'frog', 'horse', 'ship', 'truck')

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)  # flatten all dimensions except batch
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    net = Net().double()
    net.load_state_dict(state)

    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

    printed = []
    for epoch in range(epochs):  # loop over the dataset multiple times

        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            # get the inputs; data is a list of [inputs, labels]
            inputs, labels = data

            # zero the parameter gradients
            optimizer.zero_grad()

            # forward + backward + optimize
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()

            # print statistics
            running_loss += loss.item()
            if i % 4 == 3:    # print every 4 mini-batches
                printed.append(f'[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 4:.3f}')
                running_loss = 0.0

    correct = 0
    total = 0
    # since we're not training, we don't need to calculate the gradients for our outputs
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            # calculate outputs by running images through the network
            outputs = net(images)
            # the class with the highest energy is what we choose as prediction
            _, predicted = torch.max(outputs, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()

    printed.append(f'Accuracy of the network on the test images: {100 * correct // total} %')

    # prepare to count predictions for each class
    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}

    # again no gradients needed
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predictions = torch.max(outputs, 1)
            # collect the correct predictions for each class
            for label, prediction in zip(labels, predictions):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1

    # print accuracy for each class
    for classname, correct_count in correct_pred.items():
        accuracy = 100 * float(correct_count) / max(total_pred[classname], 1)
        printed.append(f'Accuracy for class: {classname:5s} is {accuracy:.1f} %')
    return printed, [p.detach().numpy().copy() for p in net.parameters()]
