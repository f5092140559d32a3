"""Install lowvis.

mmcv is taken as the pure-Python ``mmcv-lite`` (the same ``import mmcv``)
unless a full ``mmcv`` distribution is already installed: installing
``mmcv-lite`` over it would overwrite the compiled one.
"""
from importlib import metadata

from setuptools import find_packages, setup


def _has_distribution(name):
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def requirements():
    reqs = [
        'torch>=2.1',
        'torchvision>=0.16',
        # public API only: tested with 0.10.0 and 0.10.7 (the newest); 0.9.x
        # does not validate at the last iteration
        'mmengine>=0.10.0,<1.0',
        'numpy>=1.24',
        'opencv-python>=4.7',
        'pyyaml>=6.0',
        'lpips>=0.1.4',
        'scikit-image>=0.21',
        'scikit-learn>=1.3',
        'tqdm>=4.60',
        'pillow>=9.0',
        # docs/plugins.md and tools/new_plugin.py run a plugin's tests with
        # `python -m pytest` after the documented `pip install -e .`
        'pytest>=7',
    ]
    if not _has_distribution('mmcv'):
        reqs.append('mmcv-lite>=2.0.0rc4,<2.3')
    return reqs


def version():
    scope = {}
    with open('lowvis/version.py', encoding='utf-8') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='lowvis',
    version=version(),
    description='A plugin-based low-level vision toolbox on PyTorch and '
    'mmengine (unpaired deraining with DCD-GAN and baselines).',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.10',
    packages=find_packages(include=['lowvis', 'lowvis.*']),
    package_data={'lowvis': ['evaluation/metrics/data/*']},
    include_package_data=True,
    install_requires=requirements(),
    extras_require={'tests': ['pytest>=7', 'pytest-xdist>=3',
                              'selenium>=4.15'],
                    'tensorboard': ['tensorboard'],
                    'onnx': ['onnx>=1.15', 'onnxruntime>=1.17'],
                    'web': ['gradio>=6.0']},
    classifiers=[
        'License :: OSI Approved :: Apache Software License',
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Image Processing',
    ],
)
