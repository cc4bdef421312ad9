"""The ciphers against their published test vectors (GB/T 32907 SM4, GB/T 32905 SM3, NIST SP 800-38A AES)."""

import os

import pytest

from backend.regfeed import crypto

SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def test_sm4_standard_vector():
    assert crypto.sm4_block(SM4_KEY, SM4_KEY).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_million_encryptions_vector():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor, block = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor(), SM4_KEY
    for _ in range(1_000_000):
        block = encryptor.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_sm3_standard_vectors():
    assert crypto.sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_aes128_cbc_nist_vector():
    key, iv = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c"), bytes.fromhex("000102030405060708090a0b0c0d0e0f")
    plain = bytes.fromhex("6bc1bee22e409f96e93d7e117393172a")
    assert crypto.aes128_encrypt(key, plain, iv)[:16].hex() == "7649abac8119b246cee98e9b12e9197d"
    assert crypto.aes128_decrypt(key, crypto.aes128_encrypt(key, b"any length", iv), iv) == b"any length"


def test_sm4_cbc_round_trip_and_a_wrong_key_fails():
    key, text = os.urandom(16), "运单 WLHY_YD1001".encode()
    sealed = crypto.sm4_encrypt(key, text)
    assert crypto.sm4_decrypt(key, sealed) == text and text not in sealed
    with pytest.raises(ValueError):
        crypto.sm4_decrypt(os.urandom(16), sealed)


def test_sm2_key_wrap_round_trip_only_for_the_right_key():
    private, public = crypto.sm2_keypair()
    content_key = os.urandom(16)
    wrapped = crypto.sm2_wrap(public, content_key)
    assert crypto.sm2_unwrap(private, wrapped) == content_key
    other, _ = crypto.sm2_keypair()
    with pytest.raises(ValueError):
        crypto.sm2_unwrap(other, wrapped)


def test_sm2_works_with_a_public_key_whose_x_starts_with_04():
    # gmssl read such a key as "04"-prefixed and stripped it (one key in 256): the feed to that province failed.
    for _ in range(20_000):
        private, public = crypto.sm2_keypair()
        if public.startswith("04"):
            break
    assert public.startswith("04")
    content_key = os.urandom(16)
    assert crypto.sm2_unwrap(private, crypto.sm2_wrap(public, content_key)) == content_key
    signature = crypto.sm2_sign(private, public, b"WLHY_ZJ1001")
    assert crypto.sm2_verify(public, signature, b"WLHY_ZJ1001")


def test_sm2_sign_and_verify():
    private, public = crypto.sm2_keypair()
    signature = crypto.sm2_sign(private, public, b"WLHY_ZJ1001")
    assert crypto.sm2_verify(public, signature, b"WLHY_ZJ1001")
    assert not crypto.sm2_verify(public, signature, b"WLHY_ZJ1002")
    assert not crypto.sm2_verify(crypto.sm2_keypair()[1], signature, b"WLHY_ZJ1001")


def test_a_tampered_sm2_ciphertext_is_refused_which_gmssl_alone_would_not_do():
    from gmssl import sm2

    private, public = crypto.sm2_keypair()
    wrapped = bytearray(crypto.sm2_wrap(public, b"k" * 16))
    wrapped[-1] ^= 1
    with pytest.raises(ValueError):
        crypto.sm2_unwrap(private, bytes(wrapped))
    # The library's own decrypt hands back a wrong key silently: why crypto.sm2_unwrap checks C3 itself.
    assert sm2.CryptSM2(private_key=private, public_key=public, mode=1).decrypt(bytes(wrapped)) != b"k" * 16
