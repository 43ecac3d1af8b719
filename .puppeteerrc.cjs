// Browsers come from Debian's packages (see scripts/test.sh); there is no internet to download one from.
module.exports = { skipDownload: true };
