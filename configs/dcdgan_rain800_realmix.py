# DCD-GAN trained on a mixture of Rain800 and real rainy photos (paper
# section 4.5: Rain800 plus 356 real rainy images, cropped to their rainy
# regions). Domain A is read from both folders; domain B stays Rain800's
# clean images. Evaluation is still Test100.
# PLACEHOLDER (set it): 'real_rainy' is a folder of your own real rainy
# photos, relative to data_root (data/rain800/real_rainy) or absolute.
_base_ = ['./dcdgan_rain800.py']

real_rainy_dir = 'real_rainy'  # <- set this
train_dataloader = dict(dataset=dict(dir_A=['trainA', real_rainy_dir]))
