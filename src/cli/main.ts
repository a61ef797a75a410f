console.log('corpus-annotator');
