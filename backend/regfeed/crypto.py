"""The ciphers the provinces ask for: SM4 content and SM2 key wrap (ministry), AES-128-CBC (Shaanxi), SM3.

SM4 comes from `cryptography`; SM2 and SM3 from the pure-Python `gmssl` (no native build in the Lambda
package). Keys are hex strings as the ministry's access guide hands them out (SM2 public key 04||X||Y
without the 04, private key 32 bytes).
"""

import hashlib
import hmac
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def _cbc(algorithm, key, iv):
    return Cipher(algorithm(key), modes.CBC(iv))


def _encrypt(algorithm, key, data, iv):
    padder = padding.PKCS7(128).padder()
    encryptor = _cbc(algorithm, key, iv).encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def _decrypt(algorithm, key, data, iv):
    decryptor = _cbc(algorithm, key, iv).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


def sm4_block(key, block):
    """One SM4 block encrypted (ECB of 16 bytes): what GB/T 32907's test vector checks."""
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def sm4_encrypt(key, data):
    """SM4-CBC with PKCS#7 padding; the random IV travels in front of the ciphertext."""
    iv = os.urandom(16)
    return iv + _encrypt(algorithms.SM4, key, data, iv)


def sm4_decrypt(key, data):
    return _decrypt(algorithms.SM4, key, data[16:], data[:16])


def aes128_encrypt(key, data, iv):
    """AES-128-CBC with PKCS#7 (the Shaanxi platform fixes the IV per sender: it is agreed at onboarding)."""
    return _encrypt(algorithms.AES, key, data, iv)


def aes128_decrypt(key, data, iv):
    return _decrypt(algorithms.AES, key, data, iv)


def sm3(data):
    """SM3 digest as hex (GB/T 32905)."""
    from gmssl import func
    from gmssl import sm3 as gm_sm3

    return gm_sm3.sm3_hash(func.bytes_to_list(data))


def _sm2(private_key="", public_key=""):
    from gmssl import sm2

    crypt = sm2.CryptSM2(private_key=private_key, public_key="", mode=1)  # C1C3C2, GB/T 32918.4
    # gmssl takes a key starting "04" for a prefixed point and lstrip("04")s it, which strips every leading 0 and
    # 4: one raw x||y key in 256 (x starting 04) was mangled and every encryption to it failed. Set as given.
    crypt.public_key = public_key
    return crypt


def sm2_keypair():
    """(private hex, public hex) of a fresh SM2 key on the recommended curve."""
    from gmssl import func, sm2

    private = func.random_hex(64)
    while int(private, 16) == 0 or int(private, 16) >= int(sm2.default_ecc_table["n"], 16) - 1:
        private = func.random_hex(64)
    return private, _sm2(private)._kg(int(private, 16), sm2.default_ecc_table["g"])


def sm2_wrap(public_key, key):
    """The content key encrypted to the receiver's SM2 public key (hex x||y, checked to be on the curve)."""
    if len(public_key or "") != 128 or not _on_curve(public_key):
        raise ValueError("not an SM2 public key (128 hex characters of a point on the curve)")
    return _sm2(public_key=public_key).encrypt(key)


def _on_curve(point_hex):
    from gmssl import sm2

    table = {k: int(v, 16) for k, v in sm2.default_ecc_table.items() if k in ("p", "a", "b")}
    x, y = int(point_hex[:64], 16), int(point_hex[64:128], 16)
    return (y * y - (x * x * x + table["a"] * x + table["b"])) % table["p"] == 0


def sm2_unwrap(private_key, wrapped):
    """The content key from C1||C3||C2, its SM3 check value C3 verified (ValueError when it does not match).

    gmssl 3.2.2's own decrypt computes C3 but never compares it, so a wrong key or a tampered message would
    come back as garbage instead of an error; this does the comparison (and refuses a C1 off the curve).
    """
    from gmssl import sm3 as gm_sm3

    data = wrapped.hex()
    c1, c3, c2 = data[:128], data[128:192], data[192:]
    if len(c2) == 0 or not _on_curve(c1):
        raise ValueError("SM2 ciphertext is malformed")
    xy = _sm2(private_key)._kg(int(private_key, 16), c1)
    stream = gm_sm3.sm3_kdf(xy.encode(), len(c2) // 2)
    if int(stream, 16) == 0:
        raise ValueError("SM2 key stream is zero")
    message = format(int(c2, 16) ^ int(stream, 16), f"0{len(c2)}x")
    check = gm_sm3.sm3_hash(list(bytes.fromhex(xy[:64] + message + xy[64:])))
    if not hmac.compare_digest(check, c3.lower()):
        raise ValueError("SM2 decryption failed: C3 does not match")
    return bytes.fromhex(message)


def sm2_sign(private_key, public_key, data):
    """SM2 signature with SM3 and the default user id (hex r||s)."""
    return _sm2(private_key, public_key).sign_with_sm3(data)


def sm2_verify(public_key, signature, data):
    return bool(_sm2(public_key=public_key).verify_with_sm3(signature, data))


def hmac_sha256(key, text):
    """Shaanxi's parameter signature: HMAC-SHA256 over the sorted key=value pairs, hex."""
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()
