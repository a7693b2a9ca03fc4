import numpy as np
from tensorflow import keras


class DataGenerator(keras.utils.Sequence):
    """One .npy file per sample id, shuffled every epoch, labels one-hot."""

    def __init__(self, list_IDs, labels, data_dir, batch_size=32, dim=(32, 32),
                 n_classes=10, shuffle=True, **kwargs):
        super().__init__(**kwargs)
        self.list_IDs = list_IDs
        self.labels = labels
        self.data_dir = data_dir
        self.batch_size = batch_size
        self.dim = dim
        self.n_classes = n_classes
        self.shuffle = shuffle
        self.on_epoch_end()

    def __len__(self):
        return int(np.floor(len(self.list_IDs) / self.batch_size))

    def __getitem__(self, index):
        indexes = self.indexes[index * self.batch_size:(index + 1) * self.batch_size]
        list_IDs_temp = [self.list_IDs[k] for k in indexes]
        X = np.empty((self.batch_size, *self.dim))
        y = np.empty((self.batch_size), dtype=int)
        for i, ID in enumerate(list_IDs_temp):
            X[i,] = np.load(self.data_dir + "/" + ID + ".npy")
            y[i] = self.labels[ID]
        return X, keras.utils.to_categorical(y, num_classes=self.n_classes)

    def on_epoch_end(self):
        self.indexes = np.arange(len(self.list_IDs))
        if self.shuffle:
            np.random.shuffle(self.indexes)
