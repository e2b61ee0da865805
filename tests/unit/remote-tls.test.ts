import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamGeneration } from '../../electron/core/inference/remote/stream.ts'

// The hospital CA is trusted beside the system roots: a server whose certificate the hospital CA
// signed is accepted when the CA is given and refused (REMOTE_TLS_FAILED) when it is not.
// Test-only certificates (generated with openssl, valid 2000–2100, for 127.0.0.1 and localhost).

const hospitalCa = `-----BEGIN CERTIFICATE-----
MIIBdjCCAR2gAwIBAgIBATAKBggqhkjOPQQDAjAiMSAwHgYDVQQDDBdIdWF0dW8g
VGVzdCBIb3NwaXRhbCBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAw
MFowIjEgMB4GA1UEAwwXSHVhdHVvIFRlc3QgSG9zcGl0YWwgQ0EwWTATBgcqhkjO
PQIBBggqhkjOPQMBBwNCAARiAR9FzNxU1Bp0pXf9ZJqBTvN9zLH3baRYJ1+fD7Pf
5NcHCcR3bGYOtjj0Ucs368B2lwIxUs0i9Sdlw9LwY2dpo0IwQDAPBgNVHRMBAf8E
BTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUfpaUmC+JHmcV7vczSUb0
686i+qYwCgYIKoZIzj0EAwIDRwAwRAIgaSPspsGCTXaXh5IDGFRazvq4u04iSsbW
gwtBDxY5scYCIGrU6p6+RWcZEXEoPvtjZ2JxaFpxo5vL0frffiOPMAap
-----END CERTIFICATE-----
`
const serverCert = `-----BEGIN CERTIFICATE-----
MIIBpDCCAUugAwIBAgIBAjAKBggqhkjOPQQDAjAiMSAwHgYDVQQDDBdIdWF0dW8g
VGVzdCBIb3NwaXRhbCBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAw
MFowFDESMBAGA1UEAwwJMTI3LjAuMC4xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAELMcytUkgvI+brU556PEWY3xbXs78x9a/qNhBt9DrzQ1FgwBO6IHUvlORYA2Y
hZ9xmLHbsQUFCAKNv+JbJn9Ic6N+MHwwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxo
b3N0MAkGA1UdEwQCMAAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFFtM
CcrXSqAJlL52KzeHNOV88ZOBMB8GA1UdIwQYMBaAFH6WlJgviR5nFe73M0lG9OvO
ovqmMAoGCCqGSM49BAMCA0cAMEQCIHitS3knCnfg9PIAfDSkE77bNLTJlfbpIFPp
HGHxi2hwAiB75Xfg4NYiMDbhs75RoJS4P5Is4dXM36vcVHhnzRjjLw==
-----END CERTIFICATE-----
`
const serverKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgac6f78HxVp3qaT78
JvXkK6looD1+vwSG2Grv2dkfTuKhRANCAAQsxzK1SSC8j5utTnno8RZjfFtezvzH
1r+o2EG30OvNDUWDAE7ogdS+U5FgDZiFn3GYsduxBQUIAo2/4lsmf0hz
-----END PRIVATE KEY-----
`

let server: https.Server
let url: string

beforeAll(async () => {
  server = https.createServer({ cert: serverCert, key: serverKey }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.end('data: {"choices":[{"index":0,"delta":{"content":"您好"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const chat = { model: 'HuatuoGPT-o1-7B', input: { kind: 'chat' as const, messages: [{ role: 'user' as const, content: '你好' }] } }

describe('TLS with the hospital CA', () => {
  it('accepts a certificate the hospital CA signed when the CA is given', async () => {
    expect(await streamGeneration({ url, hospitalCa }, 'vllm', chat)).toMatchObject({ text: '您好', status: 'complete' })
  })

  it('refuses it without the CA', async () => {
    await expect(streamGeneration({ url }, 'vllm', chat)).rejects.toMatchObject({ code: 'REMOTE_TLS_FAILED' })
  })

  it('refuses it for a name the certificate does not carry', async () => {
    const other = url.replace('127.0.0.1', 'huatuo.test')
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }])
      else callback(null, '127.0.0.1', 4)
    }) as never
    await expect(streamGeneration({ url: other, hospitalCa, lookup }, 'vllm', chat)).rejects.toMatchObject({ code: 'REMOTE_TLS_FAILED' })
  })
})
