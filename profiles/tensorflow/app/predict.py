"""Lists the GPUs TensorFlow sees and runs one matmul."""
import tensorflow as tf

print(tf.config.list_physical_devices("GPU"))
print(tf.linalg.matmul(tf.ones((2, 2)), tf.ones((2, 2))).numpy())
