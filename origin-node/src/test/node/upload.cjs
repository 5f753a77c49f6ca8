// Upload one file with the real tus-js-client, as a browser or Node app would.
// usage: node upload.cjs <endpoint> <file> <chunkSize> [existingUploadUrl]
// Prints "UPLOADED <url>" and exits 0 on success; prints "ERROR <message>" and exits 1 otherwise.
'use strict'
const fs = require('node:fs')
const { Upload } = require('tus-js-client')

const [endpoint, file, chunkSize, uploadUrl] = process.argv.slice(2)
const upload = new Upload(fs.readFileSync(file), {
  endpoint,
  uploadUrl: uploadUrl || null,
  chunkSize: Number(chunkSize),
  retryDelays: [0, 200, 500, 1000],
  metadata: { filename: 'clip.mp4', filetype: 'video/mp4', title: 'From tus-js-client', tags: 'tus,node' },
  onError (error) {
    console.log('ERROR ' + error)
    process.exit(1)
  },
  onSuccess () {
    console.log('UPLOADED ' + upload.url)
  }
})
upload.start()
