// package: crypto-js
// expect: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad EEFSxb/coHvGM+69RhmfAlXJ9J0= d41d8cd98f00b204e9800998ecf8427e message
const CryptoJS = require('crypto-js');
const enc = CryptoJS.AES.encrypt('message', 'passphrase').toString();
const dec = CryptoJS.AES.decrypt(enc, 'passphrase').toString(CryptoJS.enc.Utf8);
console.log(CryptoJS.SHA256('abc').toString(), CryptoJS.HmacSHA1('data', 'key').toString(CryptoJS.enc.Base64), CryptoJS.MD5('').toString(), dec);
