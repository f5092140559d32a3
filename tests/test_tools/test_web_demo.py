"""tools/web_demo.py: the page's logic, and the page itself in headless
Chromium (upload, result, screenshot, download at full size)."""
import os
import os.path as osp
import shutil
import socket
import urllib.request

import cv2
import numpy as np
import pytest

os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
pytest.importorskip('gradio')
from onnx_demo_model import DEMO_CONFIG, save_demo_checkpoint  # noqa: E402

from lowvis.deploy.restorers import build_restorer  # noqa: E402
from tool_modules import load_tool  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
CHROMEDRIVER = shutil.which('chromedriver')
#: set to a path to keep the browser's screenshot (docs/images/web_demo.png)
SCREENSHOT_ENV = 'LOWVIS_WEB_DEMO_SCREENSHOT'


web_demo = load_tool('web_demo.py')


def _rainy_photo():
    """A 300x451 photo (scikit-image's cat) with bright rain streaks."""
    from skimage import data
    img = np.ascontiguousarray(data.chelsea())
    rng = np.random.default_rng(0)
    streaks = np.zeros(img.shape[:2], np.float32)
    for _ in range(220):
        x, y = rng.integers(0, img.shape[1]), rng.integers(0, img.shape[0])
        cv2.line(streaks, (int(x), int(y)), (int(x) + 6, int(y) + 24), 1.0)
    streaks = cv2.GaussianBlur(streaks, (3, 3), 0)[:, :, None]
    return np.clip(img + 120 * streaks, 0, 255).astype(np.uint8)


@pytest.fixture(scope='module')
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp('web')
    restorer = build_restorer('torch', config=DEMO_CONFIG,
                              checkpoint=save_demo_checkpoint(folder),
                              tile=128, tile_overlap=16)
    return web_demo.DerainPage(restorer, 128, 16, out_dir=str(folder))


@pytest.fixture(scope='module')
def photo(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('web_in') / 'rainy_cat.png')
    cv2.imwrite(path, _rainy_photo()[:, :, ::-1])
    return path


def test_page_restores_a_large_photo_by_tiles(page, photo):
    rainy, derained, status, download = page(photo)
    original = cv2.imread(photo)[:, :, ::-1]
    assert np.array_equal(rainy, original)
    assert derained.shape == original.shape
    assert '12 tiles of 128 px' in status  # 3 rows x 4 columns and '451x300' in status
    saved = cv2.imread(download)[:, :, ::-1]
    assert np.array_equal(saved, derained)  # below PREVIEW_SIDE: same
    assert np.abs(saved.astype(int) - original).mean() > 5


def test_page_reports_a_bad_file_by_name(page, tmp_path):
    bad = tmp_path / 'holiday.jpg'
    bad.write_bytes(b'this is not a photo')
    rainy, derained, status, download = page(str(bad))
    assert (rainy, derained, download) == (None, None, None)
    assert 'Cannot derain holiday.jpg' in status
    assert str(tmp_path) not in status  # the server's path stays hidden


def test_preview_is_8_bit_rgb_and_bounded():
    big = np.full((3000, 1000), 65535, np.uint16)
    shown = web_demo.preview(big)
    assert shown.dtype == np.uint8 and shown.shape == (2048, 683, 3)
    assert shown.min() == 255


def test_default_host_is_loopback():
    assert web_demo.parse_args([]).host == '127.0.0.1'


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def server(page):
    demo = web_demo.build_page(page)
    url = web_demo.launch(demo, '127.0.0.1', _free_port(), block=False)
    yield url
    demo.close()


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip('headless Chromium not installed (Debian: apt-get install '
                    'chromium chromium-driver; .ci/run does this)')
    webdriver = pytest.importorskip('selenium.webdriver')
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ('--headless', '--no-sandbox', '--disable-gpu',
                 '--disable-quic', '--no-first-run',
                 '--disable-background-networking',
                 '--disable-component-update', '--disable-sync',
                 '--disable-dev-shm-usage', '--window-size=1280,900',
                 '--user-data-dir=' + str(tmp_path_factory.mktemp('chrome'))):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _upload(browser, url, path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(url)
    wait = WebDriverWait(browser, 60)
    field = wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, '#upload input[type=file]')))
    field.send_keys(path)
    return wait


def test_browser_uploads_a_photo_and_gets_it_derained(server, browser, photo,
                                                      tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    wait = _upload(browser, server, photo)
    link = wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, '#download a[href]')))
    wait.until(ec.text_to_be_present_in_element((By.ID, 'status'),
                                                'Derained'))
    status = browser.find_element(By.ID, 'status').text
    assert 'rainy_cat.png' in status and 'tiles' in status
    shown = browser.execute_script(
        "const i = document.querySelector('#derained img');"
        'return i && i.complete ? [i.naturalWidth, i.naturalHeight] : null;')
    assert shown == [451, 300]
    shot = str(tmp_path / 'web_demo.png')
    assert browser.save_screenshot(shot)
    picture = cv2.imread(shot)
    assert picture.shape[1] >= 800 and picture.std() > 10
    if os.environ.get(SCREENSHOT_ENV):
        shutil.copy(shot, os.environ[SCREENSHOT_ENV])
    with urllib.request.urlopen(link.get_attribute('href'), timeout=30) as r:
        data = np.frombuffer(r.read(), np.uint8)
    result = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)[:, :, ::-1]
    original = cv2.imread(photo)[:, :, ::-1]
    assert result.shape == original.shape  # full resolution
    assert np.abs(result.astype(int) - original).mean() > 5


def test_browser_shows_a_readable_message_for_a_bad_file(server, browser,
                                                         tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    bad = tmp_path / 'broken.png'
    bad.write_bytes(b'not an image at all')
    wait = _upload(browser, server, str(bad))
    wait.until(ec.text_to_be_present_in_element((By.ID, 'status'),
                                                'Cannot derain broken.png'))
    assert 'not an image' in browser.find_element(By.ID, 'status').text


def test_missing_onnx_model_is_a_one_line_error(run_tool, tmp_path):
    missing = str(tmp_path / 'nope.onnx')
    result = run_tool(['tools/web_demo.py', '--model', missing, '--port',
                       str(_free_port())])
    assert result.returncode == 2, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert lines == [f'error: ONNX model file not found: {missing}']
