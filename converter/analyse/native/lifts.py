"""What a user can change to lift a call with no exact tf translation to the native tier.

Kept as data, like the translation table: qualified name -> the suggestion, said after the
reason as "...; <suggestion> to make it native". Where the suggested op computes different
values, the suggestion says so: the converter never makes that trade on the user's behalf.
"""

from __future__ import annotations

# The Sequence may call TensorFlow ops itself; the pipeline then runs the same op.
_RESIZE = (
    "call tf.image.resize(image, size, antialias=True) in the Sequence (values differ from {library}'s"
    " interpolation, typically by up to 1e-2 on [0, 1] images)"
)

LIFTS: dict[str, str] = {
    "cv2.resize": _RESIZE.format(library="OpenCV"),
    "skimage.transform.resize": _RESIZE.format(library="scikit-image"),
    "scipy.ndimage.zoom": _RESIZE.format(library="scipy"),
    "cv2.imread": "read PNG/BMP files with PIL.Image.open(path).convert('RGB') (note cv2 gives BGR; decoded exactly by tf)",
    "cv2.cvtColor": "reorder channels with x[..., ::-1] for BGR <-> RGB",
    "cv2.flip": "use np.flip / np.fliplr / np.flipud",
    "numpy.random.choice": "draw indices with np.random.randint(0, n, size) and index with them",
    "numpy.random.permutation": "shuffle an index in on_epoch_end (np.arange + np.random.shuffle), which becomes Dataset.shuffle",
    "numpy.random.shuffle": "shuffle an index in on_epoch_end (np.arange + np.random.shuffle), which becomes Dataset.shuffle",
    "numpy.pad": "pad with a loop into np.zeros((len(batch), width)) or keras' pad_sequences, which become padded_batch",
}


def lift_for(callees: set[str]) -> str:
    return next((LIFTS[name] for name in sorted(callees) if LIFTS.get(name)), "")
