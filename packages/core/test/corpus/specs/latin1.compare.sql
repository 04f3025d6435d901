SELECT 'café' AS name
